/* Who else has this story's form open: a light ping every few seconds (articles/presence.py
   keeps the list in the cache), shown above the form. */
(function () {
  "use strict";
  const PING_MS = 15000;

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("article_form");
    if (!form || !/\/\d+\/change\/$/.test(location.pathname)) return;
    const url = location.pathname.replace(/change\/$/, "presence/");
    const note = document.createElement("p");
    note.className = "presence-note";
    note.setAttribute("role", "status");
    note.dataset.presence = "";
    note.hidden = true;
    form.prepend(note);

    function data(leaving) {
      const body = new FormData();
      body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
      if (leaving) body.append("leaving", "1");
      return body;
    }

    async function ping() {
      try {
        const response = await fetch(url, { method: "POST", body: data(false), credentials: "same-origin" });
        if (!response.ok) return;
        const answer = await response.json();
        note.textContent = answer.text;
        note.hidden = !answer.text;
      } catch (error) {
        note.hidden = true;
      }
    }

    ping();
    setInterval(ping, PING_MS);
    window.addEventListener("pagehide", function () { navigator.sendBeacon(url, data(true)); });
  });
})();
