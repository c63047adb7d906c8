/* The story form keeps what is typed: every few seconds of typing it is sent to the story's
   one autosave slot of this person (articles/editing_views.py), never published, and the
   page asks before it is left with changes that were not saved. */
(function () {
  "use strict";
  // Sent once typing pauses this long, and at least this often while it goes on.
  const QUIET_MS = 1500;
  const AT_MOST_MS = 6000;
  const FIELDS = ["headline", "slug", "kicker", "dek", "dateline", "body"];

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("article_form");
    if (!form) return;
    // A form brought back from an autosave holds what the stored story does not.
    let unsaved = new URLSearchParams(location.search).get("autosave") === "restore";
    let submitting = false;
    let timer = null;
    form.addEventListener("submit", function () {
      submitting = true;
      clearTimeout(timer); // the save itself empties the slot
    });
    window.addEventListener("beforeunload", function (event) {
      if (unsaved && !submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    const story = location.pathname.match(/\/\d+\/change\/$/);
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    if (!story) return; // a new story has its slot once it is saved for the first time

    const url = location.pathname.replace(/change\/$/, "autosave/");
    const status = document.createElement("p");
    status.className = "autosave-status";
    status.setAttribute("role", "status");
    status.dataset.autosaveStatus = "";
    const submitRow = form.querySelector(".submit-row");
    (submitRow || form).before(status);
    let pendingSince = 0;
    let notSent = false;

    function changed() {
      unsaved = true;
      if (!story || submitting) return;
      notSent = true;
      const now = Date.now();
      pendingSince = pendingSince || now;
      clearTimeout(timer);
      timer = setTimeout(send, Math.max(0, Math.min(QUIET_MS, pendingSince + AT_MOST_MS - now)));
    }

    function payload() {
      const data = new FormData();
      for (const name of [...FIELDS, "base_version", "csrfmiddlewaretoken"]) {
        const field = form.elements[name];
        if (field) data.append(name, field.value);
      }
      return data;
    }

    async function send() {
      clearTimeout(timer);
      pendingSince = 0;
      notSent = false;
      try {
        const response = await fetch(url, {
          method: "POST", body: payload(), credentials: "same-origin",
        });
        const answer = await response.json();
        status.textContent = answer.text;
        status.dataset.autosaveStatus = response.ok ? "saved" : "refused";
      } catch (error) {
        notSent = true;
        status.dataset.autosaveStatus = "failed";
      }
    }

    // Closing the tab or switching away sends what the timer has not yet.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && notSent && !submitting) {
        notSent = false;
        navigator.sendBeacon(url, payload());
      }
    });
  });
})();
