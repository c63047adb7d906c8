// Writing aids: the word count and reading time under the body as one types, the browser's
// spell-check on (the editor turns it off unless told), and a toolbar that stays in view
// (static/admin/editor/editor.css).
import { Extension, Plugin, crel, gettext } from "django-prose-editor/editor"

const WORDS_PER_MINUTE = 230

// Words as a reader counts them: "don't" and "well-known" are one each.
const countWords = (text) => (text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) || []).length

export const WritingAids = Extension.create({
  name: "writingAids",

  addProseMirrorPlugins() {
    return [new Plugin({ props: { attributes: { spellcheck: "true" } } })]
  },

  onCreate() {
    const counter = crel("p", { className: "body-counts" })
    this.storage.counter = counter
    this.editor.view.dom.after(counter)
    this.storage.show(this.editor)
  },

  onUpdate() {
    this.storage.show(this.editor)
  },

  onDestroy() {
    this.storage.counter?.remove()
  },

  addStorage() {
    return {
      counter: null,
      show(editor) {
        const words = countWords(editor.getText({ blockSeparator: " " }))
        const minutes = words ? Math.max(1, Math.round(words / WORDS_PER_MINUTE)) : 0
        this.counter.textContent = `${words} ${words === 1 ? gettext("word") : gettext("words")} · ${minutes} ${gettext("min read")}`
        this.counter.dataset.words = words
        this.counter.dataset.minutes = minutes
      },
    }
  },
})
