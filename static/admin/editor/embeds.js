// A YouTube, Vimeo or X address alone on its own line becomes an embed, by the rule the
// importers follow (articles/embeds.py, whose allow-list this extension is given): typed and
// ended with Enter, or pasted into an empty line. Any other address stays a link. The body
// stores an embed as a figure around its link; readers get it to play (static/js/embeds.js).
import { Node, Plugin, crel, gettext } from "django-prose-editor/editor"

const providerFor = (providers, text) =>
  providers.find(({ patterns }) => patterns.some((p) => new RegExp(p).test(text))) || null

// A paragraph of the story itself, not one in a list, a quote or a caption.
const isStoryLine = ($from) => $from.depth === 1 && $from.parent.type.name === "paragraph"

// The line at $from becomes the embed, and the writer goes on in a new line after it.
const embedLine = (editor, $from, url, provider) => {
  const from = $from.before()
  const embed = { type: "bodyEmbed", attrs: { url, provider: provider.name } }
  return editor
    .chain()
    .insertContentAt({ from, to: from + $from.parent.nodeSize }, [embed, { type: "paragraph" }])
    .run()
}

export const BodyEmbeds = Node.create({
  name: "bodyEmbed",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return { providers: [] }
  },

  addAttributes() {
    return {
      url: {
        default: "",
        parseHTML: (element) => element.querySelector("a[href]")?.getAttribute("href") || "",
        renderHTML: () => ({}),
      },
      provider: {
        default: "",
        parseHTML: (element) => element.getAttribute("data-embed"),
        renderHTML: (attributes) => ({ "data-embed": attributes.provider }),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-embed]", priority: 100 }]
  },

  renderHTML({ node, HTMLAttributes }) {
    const { url } = node.attrs
    return ["figure", HTMLAttributes, ["a", { href: url }, url]]
  },

  addNodeView() {
    return ({ node }) => {
      const provider = this.options.providers.find((p) => p.name === node.attrs.provider)
      const dom = crel("figure", { className: "body-embed", "data-embed": node.attrs.provider }, [
        crel("span", {
          className: "body-embed-label",
          textContent: `${provider?.label || ""} ${gettext("embed")}`.trim(),
        }),
        crel("span", { className: "body-embed-url", textContent: node.attrs.url }),
      ])
      return { dom }
    }
  },

  addKeyboardShortcuts() {
    return {
      // An address typed alone on its line, ended with Enter.
      Enter: ({ editor }) => {
        const { $from, empty } = editor.state.selection
        const line = $from.parent
        if (!empty || !isStoryLine($from)) return false
        const text = line.textContent.trim()
        const provider = providerFor(this.options.providers, text)
        if (!provider) return false
        return embedLine(editor, $from, text, provider)
      },
    }
  },

  addProseMirrorPlugins() {
    const { editor } = this
    const { providers } = this.options
    return [
      new Plugin({
        props: {
          // An address pasted into an empty line.
          handlePaste(view, event) {
            const text = (event.clipboardData?.getData("text/plain") || "").trim()
            const provider = providerFor(providers, text)
            const { $from, empty } = view.state.selection
            const line = $from.parent
            if (!provider || !empty || !isStoryLine($from) || line.content.size) {
              return false
            }
            event.preventDefault()
            return embedLine(editor, $from, text, provider)
          },
        },
      }),
    ]
  },
})
