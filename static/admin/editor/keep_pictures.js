/* Typing with a picture selected never destroys it.

   Clicking a picture selects it (a node selection). The editor's default, as for any
   selection, is to replace it with what is typed; inside a figure, whose content must start
   with a picture, the replacement is a new empty picture with the letter put in a paragraph
   after it, and the next letter does the same to that one: one empty picture and one
   paragraph per keystroke. Here, typing, Enter or a paste with a picture selected go into a
   new paragraph after the picture (or its figure), and Backspace or Delete remove the whole
   figure. As a last guard, a picture left without an address (from any other path) is
   taken out of the document, its caption kept as a paragraph. */
import { Extension, pm } from "django-prose-editor/editor"

const { NodeSelection, Plugin, PluginKey, TextSelection } = pm.state

/* The range of the selected picture, with its figure when it has one. */
function selectedPicture(state) {
  const selection = state.selection
  if (!(selection instanceof NodeSelection)) return null
  const name = selection.node.type.name
  if (name === "figure") return { from: selection.from, to: selection.to }
  if (name !== "image") return null
  const $from = selection.$from
  if ($from.parent.type.name === "figure") {
    return { from: $from.before($from.depth), to: $from.after($from.depth) }
  }
  return { from: selection.from, to: selection.to }
}

function paragraphAfter(state, position, text) {
  const { schema } = state
  const paragraph = schema.nodes.paragraph.create(null, text ? schema.text(text) : null)
  const tr = state.tr.insert(position, paragraph)
  tr.setSelection(TextSelection.create(tr.doc, position + 1 + text.length))
  return tr.scrollIntoView()
}

/* Pictures without an address, innermost last: [from, to, caption or null]. */
function brokenPictures(doc) {
  const broken = []
  doc.descendants((node, pos) => {
    if (node.type.name === "figure") {
      const picture = node.firstChild
      if (!picture || picture.type.name !== "image" || !picture.attrs.src) {
        const caption = node.childCount > 1 ? node.child(node.childCount - 1) : null
        broken.push([pos, pos + node.nodeSize, caption && caption.content.size ? caption : null])
      }
      return false
    }
    if (node.type.name === "image" && !node.attrs.src) {
      broken.push([pos, pos + node.nodeSize, null])
    }
    return true
  })
  return broken
}

export const KeepPictures = Extension.create({
  name: "keepPictures",

  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey("keepPictures"),
        props: {
          handleTextInput(view, from, to, text) {
            const picture = selectedPicture(view.state)
            if (!picture) return false
            view.dispatch(paragraphAfter(view.state, picture.to, text))
            return true
          },
          handleKeyDown(view, event) {
            const picture = selectedPicture(view.state)
            if (!picture) return false
            if (event.key === "Enter") {
              view.dispatch(paragraphAfter(view.state, picture.to, ""))
              return true
            }
            if (event.key === "Backspace" || event.key === "Delete") {
              view.dispatch(view.state.tr.delete(picture.from, picture.to).scrollIntoView())
              return true
            }
            return false
          },
          handlePaste(view) {
            const picture = selectedPicture(view.state)
            if (picture) view.dispatch(paragraphAfter(view.state, picture.to, ""))
            return false // the paste itself goes on, into the new paragraph
          },
        },
        appendTransaction(transactions, oldState, newState) {
          if (!transactions.some((tr) => tr.docChanged)) return null
          const broken = brokenPictures(newState.doc)
          if (!broken.length) return null
          const tr = newState.tr
          for (const [from, to, caption] of broken.reverse()) {
            const kept = caption && newState.schema.nodes.paragraph.create(null, caption.content)
            if (kept) tr.replaceWith(from, to, kept)
            else tr.delete(from, to)
          }
          return tr
        },
      }),
    ]
  },
})
