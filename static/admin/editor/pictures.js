// Pictures into the body from the editor: the toolbar's button, a file dropped on the text or
// pasted into it. Each goes into the picture library through the admin's upload checks
// (ImageAdmin.upload_view) with its alt text, which is required, and its caption and credit;
// the body gets the library's address, and readers its renditions (articles/reader_body.py).
import { Extension, Plugin, crel, gettext } from "django-prose-editor/editor"

const ACCEPTED = ["image/jpeg", "image/png", "image/webp", "image/gif"]

const imageFile = (transfer) =>
  [...(transfer?.files || [])].find((file) => ACCEPTED.includes(file.type)) || null

const csrfToken = () =>
  document.querySelector("input[name=csrfmiddlewaretoken]")?.value || ""

function field(label, input, hint = "") {
  return crel("p", { className: "body-picture-field" }, [
    crel("label", {}, [crel("span", { textContent: label }), input]),
    ...(hint ? [crel("small", { textContent: hint })] : []),
  ])
}

// The dialog: the file (given when dropped or pasted), alt text, caption and credit. Resolves
// with the library's answer once the upload is accepted, or null when the writer cancels.
function pictureDialog(uploadUrl, given) {
  const file = crel("input", { type: "file", name: "file", accept: ACCEPTED.join(",") })
  file.required = !given
  const alt = crel("input", { type: "text", name: "alt_text", maxLength: 300 })
  alt.required = true
  const caption = crel("input", { type: "text", name: "caption", maxLength: 500 })
  const credit = crel("input", { type: "text", name: "credit", maxLength: 200 })
  const errors = crel("ul", { className: "errorlist body-picture-errors", role: "alert" })
  const submit = crel("button", {
    type: "submit",
    className: "default",
    textContent: gettext("Upload and insert"),
  })
  const cancel = crel("button", { type: "button", textContent: gettext("Cancel") })
  const chosen = given
    ? [crel("p", { className: "body-picture-chosen", textContent: given.name })]
    : [field(gettext("Picture (JPEG, PNG, WebP or GIF)"), file)]
  const form = crel("form", { method: "dialog", className: "body-picture-form" }, [
    crel("h2", { textContent: gettext("Upload a picture") }),
    ...chosen,
    field(
      gettext("Alt text (required)"),
      alt,
      gettext("What the picture shows, for readers who cannot see it."),
    ),
    field(gettext("Caption"), caption),
    field(gettext("Credit"), credit, gettext("Shown as written, e.g. “Photo: Dana Levi”.")),
    errors,
    crel("p", { className: "body-picture-actions" }, [submit, cancel]),
  ])
  const dialog = crel("dialog", { className: "body-picture-dialog" }, [form])
  document.body.append(dialog)

  return new Promise((resolve) => {
    const close = (answer) => {
      dialog.close()
      dialog.remove()
      resolve(answer)
    }
    cancel.addEventListener("click", () => close(null))
    dialog.addEventListener("cancel", () => close(null))
    form.addEventListener("submit", async (event) => {
      event.preventDefault()
      const data = new FormData()
      data.append("file", given || file.files[0])
      data.append("alt_text", alt.value.trim())
      data.append("caption", caption.value.trim())
      data.append("credit", credit.value.trim())
      submit.disabled = true
      errors.textContent = ""
      try {
        const response = await fetch(uploadUrl, {
          method: "POST",
          body: data,
          headers: { "X-CSRFToken": csrfToken() },
          credentials: "same-origin",
        })
        const answer = await response.json()
        if (response.ok) {
          close(answer)
          return
        }
        for (const messages of Object.values(answer.errors || {})) {
          for (const message of messages) {
            errors.append(crel("li", { textContent: message }))
          }
        }
      } catch {
        errors.append(crel("li", { textContent: gettext("The upload failed; try again.") }))
      }
      submit.disabled = false
    })
    dialog.showModal()
    ;(given ? alt : file).focus()
  })
}

// Dropped into a line of text, the picture goes before or after that line, never inside it.
function blockBoundary(view, pos) {
  const $pos = view.state.doc.resolve(pos)
  if (!$pos.parent.isTextblock || $pos.depth === 0) return pos
  return $pos.parentOffset === 0 ? $pos.before() : $pos.after()
}

async function uploadAndInsert(editor, uploadUrl, file = null, pos = null) {
  const picture = await pictureDialog(uploadUrl, file)
  if (!picture) return
  const content = [
    {
      type: "image",
      attrs: {
        src: picture.src,
        alt: picture.alt,
        width: picture.width,
        height: picture.height,
      },
    },
  ]
  if (picture.caption) {
    content.push({ type: "caption", content: [{ type: "text", text: picture.caption }] })
  }
  const figure = { type: "figure", content }
  const chain = editor.chain().focus()
  ;(pos == null ? chain.insertContent(figure) : chain.insertContentAt(pos, figure)).run()
}

export const BodyPictures = Extension.create({
  name: "bodyPictures",

  addOptions() {
    return { uploadUrl: "" }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "bodyPictureUpload",
      groups: "nodes",
      command: (editor) => uploadAndInsert(editor, this.options.uploadUrl),
      button: buttons.material("add_photo_alternate", gettext("Upload a picture")),
    })
  },

  addProseMirrorPlugins() {
    const { editor } = this
    const { uploadUrl } = this.options
    return [
      new Plugin({
        props: {
          handlePaste(_view, event) {
            const file = imageFile(event.clipboardData)
            if (!file) return false
            event.preventDefault()
            uploadAndInsert(editor, uploadUrl, file)
            return true
          },
          handleDrop(view, event) {
            const file = imageFile(event.dataTransfer)
            if (!file) return false
            event.preventDefault()
            const at = view.posAtCoords({ left: event.clientX, top: event.clientY })
            uploadAndInsert(editor, uploadUrl, file, at ? blockBoundary(view, at.pos) : null)
            return true
          },
        },
      }),
    ]
  },
})
