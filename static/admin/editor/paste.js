/* What is pasted from Google Docs, Word or a web page comes in as the story's structure:
   headings, paragraphs, lists, bold, italic and links, tables as one paragraph per row, and
   no picture that readers could not see (a file on the writer's disk, another site's).

   The editor would read bold and italic from inline styles, which the admin's CSP (no inline
   style) keeps from applying; Docs marks its normal text with a <b style="font-weight:normal">
   wrapper, so all of it came out bold. The styles are read here as text, turned into tags and
   dropped, before the editor parses the HTML. The server cleans the body again on every save
   (articles/sanitize.py). */
import { Extension, pm } from "django-prose-editor/editor"

const { Plugin, PluginKey } = pm.state

const HEADINGS = { h1: "h2", h2: "h3", h3: "h4", h4: "h4", h5: "h4", h6: "h4" }
const WORD_HEADINGS = { MsoTitle: "h2", MsoSubtitle: "h3", MsoHeading1: "h2", MsoHeading2: "h3" }
const KEPT = { ul: "ul", ol: "ol", li: "li", blockquote: "blockquote", hr: "hr", sub: "sub", sup: "sup" }
const BLOCKS = new Set(["p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "hr", "figure"])
const DROPPED = new Set([
  "script", "style", "meta", "link", "title", "head", "xml", "template", "iframe", "object",
  "embed", "svg", "math", "form", "input", "button", "select", "textarea", "colgroup", "col",
])
const CELL_SEPARATOR = " | "

function styles(element) {
  const found = {}
  for (const declaration of (element.getAttribute("style") || "").split(";")) {
    const colon = declaration.indexOf(":")
    if (colon > 0) {
      const name = declaration.slice(0, colon).trim().toLowerCase()
      found[name] = declaration.slice(colon + 1).trim().toLowerCase()
    }
  }
  return found
}

function isBold(weight) {
  return weight === "bold" || weight === "bolder" || Number.parseInt(weight, 10) >= 600
}

function isNormalWeight(weight) {
  return weight === "normal" || weight === "lighter" || Number.parseInt(weight, 10) <= 500
}

/* Word's list paragraphs: "mso-list:l0 level2 lfo1", with the bullet or number as text. */
function wordListLevel(element) {
  const list = styles(element)["mso-list"]
  const level = list && /level(\d+)/.exec(list)
  return level ? Number(level[1]) : 0
}

function sameOrigin(url) {
  try {
    return new URL(url, location.href).origin === location.origin
  } catch (error) {
    return false
  }
}

function safeLink(href) {
  try {
    const url = new URL(href, location.href)
    return ["http:", "https:", "mailto:"].includes(url.protocol) ? href : null
  } catch (error) {
    return null
  }
}

class Cleaner {
  constructor(doc) {
    this.doc = doc
  }

  element(name, children) {
    const made = this.doc.createElement(name)
    for (const child of children) made.append(child)
    return made
  }

  children(node) {
    return [...node.childNodes].flatMap((child) => this.clean(child))
  }

  /* The clean nodes standing for `node`: none, its children, or one new element. */
  clean(node) {
    if (node.nodeType === Node.TEXT_NODE) return [this.doc.createTextNode(node.data)]
    if (node.nodeType !== Node.ELEMENT_NODE) return []
    const tag = node.localName.toLowerCase()
    if (DROPPED.has(tag) || tag.includes(":")) return [] // <o:p>, <v:imagedata>, <w:...>
    const style = styles(node)
    if (style["mso-list"] === "ignore" || style.display === "none") return [] // Word's bullets
    if (tag === "img") return this.picture(node)
    if (tag === "br") return [this.doc.createElement("br")]
    if (tag === "table") return this.table(node)
    if (tag === "figure") return this.figure(node)
    if (tag === "figcaption") return [this.element("figcaption", this.children(node))]
    if (tag === "a") {
      const href = node.getAttribute("href") && safeLink(node.getAttribute("href"))
      if (!href) return this.children(node)
      const link = this.element("a", this.children(node))
      link.setAttribute("href", href)
      return [link]
    }
    if (HEADINGS[tag]) return [this.element(HEADINGS[tag], this.children(node))]
    if (tag === "p" || tag === "div" || tag === "pre") return this.paragraph(node)
    if (KEPT[tag]) return [this.element(KEPT[tag], this.marked(node, this.children(node)))]
    if (tag === "b" || tag === "strong") {
      if (isNormalWeight(style["font-weight"] || "")) return this.children(node)
      return [this.element("strong", this.children(node))]
    }
    if (tag === "i" || tag === "em") {
      if (style["font-style"] === "normal") return this.children(node)
      return [this.element("em", this.children(node))]
    }
    if (tag === "s" || tag === "strike" || tag === "del") {
      return [this.element("s", this.children(node))]
    }
    return this.marked(node, this.children(node))
  }

  /* Bold, italic, struck-through, raised or lowered as the element's style says (Docs). */
  marked(node, nodes) {
    const style = styles(node)
    let wrapped = nodes
    const wrap = (name) => {
      wrapped = [this.element(name, wrapped)]
    }
    if (isBold(style["font-weight"] || "")) wrap("strong")
    if (style["font-style"] === "italic") wrap("em")
    if ((style["text-decoration"] || "").includes("line-through")) wrap("s")
    if (style["vertical-align"] === "super") wrap("sup")
    if (style["vertical-align"] === "sub") wrap("sub")
    return wrapped
  }

  paragraph(node) {
    const inside = this.children(node)
    if (inside.some((child) => child.nodeType === Node.ELEMENT_NODE && BLOCKS.has(child.localName))) {
      return inside // a container (Docs' and Word's <div>s), not a paragraph
    }
    const className = node.getAttribute("class") || ""
    const heading = WORD_HEADINGS[className]
    const made = this.element(heading || "p", inside)
    const level = wordListLevel(node)
    if (level) {
      made.dataset.wordListLevel = level
      made.dataset.wordListOrdered = /^\(?[0-9a-z]{1,4}[.)]/i.test(this.wordMarker(node)) ? "1" : ""
    }
    return [made]
  }

  wordMarker(node) {
    for (const span of node.querySelectorAll("span")) {
      if (styles(span)["mso-list"] === "ignore") return span.textContent.trim()
    }
    return ""
  }

  /* Only pictures from this site: a reader's browser could show no other. */
  picture(node) {
    const src = node.getAttribute("src") || ""
    if (!/^(https?:|\/[^/])/i.test(src) || !sameOrigin(src)) return []
    const picture = this.doc.createElement("img")
    picture.setAttribute("src", src)
    picture.setAttribute("alt", node.getAttribute("alt") || "")
    return [picture]
  }

  /* A figure is its picture: without one (from another site), its caption is a paragraph. */
  figure(node) {
    const inside = this.children(node)
    const picture = inside.find((child) => child.localName === "img")
    const caption = inside.find((child) => child.localName === "figcaption")
    if (picture) return [this.element("figure", caption ? [picture, caption] : [picture])]
    return caption ? [this.element("p", [...caption.childNodes])] : []
  }

  /* One paragraph per row, its cells' text parted by a bar. */
  table(node) {
    const rows = []
    for (const row of node.querySelectorAll("tr")) {
      const cells = [...row.children].filter((cell) => /^t[dh]$/i.test(cell.localName))
      const paragraph = this.doc.createElement("p")
      cells.forEach((cell, index) => {
        if (index) paragraph.append(this.doc.createTextNode(CELL_SEPARATOR))
        const inline = this.children(cell).flatMap((child) =>
          child.nodeType === Node.ELEMENT_NODE && BLOCKS.has(child.localName)
            ? [...child.childNodes]
            : [child],
        )
        paragraph.append(...inline)
      })
      if (paragraph.textContent.replace(/[\s|]/g, "")) rows.push(paragraph)
    }
    return rows
  }
}

/* Word's numbered and bulleted paragraphs, in runs, become nested lists. */
function wordLists(root) {
  for (const container of [root, ...root.querySelectorAll("*")]) {
    let lists = []
    for (const child of [...container.children]) {
      const level = Number(child.dataset.wordListLevel || 0)
      if (!level) {
        lists = []
        continue
      }
      while (lists.length > level) lists.pop()
      while (lists.length < level) {
        const list = child.ownerDocument.createElement(child.dataset.wordListOrdered ? "ol" : "ul")
        const parentList = lists[lists.length - 1]
        if (parentList) (parentList.lastElementChild || parentList).append(list)
        else child.before(list)
        lists.push(list)
      }
      const item = child.ownerDocument.createElement("li")
      delete child.dataset.wordListLevel
      delete child.dataset.wordListOrdered
      lists[lists.length - 1].append(item)
      item.append(child)
    }
  }
}

function tidy(root) {
  for (const paragraph of root.querySelectorAll("p, h2, h3, h4")) {
    if (!paragraph.textContent.replace(/[\s\u00a0]/g, "") && !paragraph.querySelector("img")) {
      paragraph.remove() // Word's <p><o:p>&nbsp;</o:p></p>, Docs' spacer lines
    }
  }
  for (const lineBreak of root.querySelectorAll(":scope > br")) lineBreak.remove()
}

export function cleanPastedHTML(html) {
  // A copy from this editor (or another of the site's) is in the editor's own structure.
  if (/<[^>]+\sdata-pm-slice=/.test(html)) return html
  const fragment = /<!--StartFragment-->([\s\S]*)<!--EndFragment-->/.exec(html)
  const source = new DOMParser().parseFromString(fragment ? fragment[1] : html, "text/html")
  const out = document.implementation.createHTMLDocument("")
  const root = out.createElement("div")
  root.append(...new Cleaner(out).children(source.body))
  wordLists(root)
  tidy(root)
  return root.innerHTML
}

export const CleanPaste = Extension.create({
  name: "cleanPaste",

  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey("cleanPaste"),
        props: { transformPastedHTML: cleanPastedHTML },
      }),
    ]
  },
})
