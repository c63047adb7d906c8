// Click to play: an embed's still becomes a button, and only a click makes the provider's
// frame, at the address the page names (articles/embeds.py). Until then nothing is asked of
// the provider. The link under the frame stays, for a reader whose browser blocks it.
const FRAME_ALLOW = "autoplay; encrypted-media; picture-in-picture; fullscreen"

function play(figure) {
  const frame = document.createElement("iframe")
  frame.src = figure.dataset.embedPlayer
  frame.title = figure.dataset.embedTitle
  frame.allow = FRAME_ALLOW
  frame.allowFullscreen = true
  frame.referrerPolicy = "strict-origin-when-cross-origin"
  frame.setAttribute(
    "sandbox",
    "allow-scripts allow-same-origin allow-presentation allow-popups allow-popups-to-escape-sandbox",
  )
  frame.className = "embed-frame"
  figure.querySelector(".embed-still").replaceWith(frame)
  figure.classList.add("embed-playing")
  frame.focus()
}

for (const figure of document.querySelectorAll("figure[data-embed-player]")) {
  const still = figure.querySelector("a.embed-still")
  if (!still) continue
  const button = document.createElement("button")
  button.type = "button"
  button.className = "embed-still"
  button.setAttribute("aria-label", figure.dataset.embedPlayLabel)
  button.append(...still.childNodes)
  const glyph = document.createElement("span")
  glyph.className = "embed-play"
  glyph.setAttribute("aria-hidden", "true")
  button.append(glyph)
  button.addEventListener("click", () => play(figure))
  still.replaceWith(button)
}
