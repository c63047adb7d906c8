// A live story's page: asks the address in data-live-updates-url what is new since the
// version the page has, and shows it. Every data-live-interval seconds (15) while the tab is
// seen, four times as seldom while it is hidden, backing off when the server does not answer. New updates are announced
// politely to screen readers. Without this script the page works as it is: its "Newer
// updates" link reloads it.
(function () {
  "use strict";
  var MAX_MS = 300000;
  var live = document.querySelector("[data-live-updates-url]");
  if (!live) {
    return;
  }
  var VISIBLE_MS = 1000 * (Number(live.getAttribute("data-live-interval")) || 15);
  var HIDDEN_MS = 4 * VISIBLE_MS;
  var url = live.getAttribute("data-live-updates-url");
  var pinned = live.querySelector("[data-live-pinned]");
  var timeline = live.querySelector("[data-live-timeline]");
  var newer = live.querySelector("[data-live-newer]");
  var announce = live.querySelector("[data-live-announce]");
  var failures = 0;
  var timer = null;
  var stopped = false; // ended, reloading or walled: nothing brings polling back

  function ago(when) {
    var minutes = Math.round((Date.now() - when) / 60000);
    if (minutes < 1) {
      return "just now";
    }
    if (minutes < 60) {
      return minutes + " min ago";
    }
    var hours = Math.floor(minutes / 60);
    if (hours < 24) {
      return hours + " h " + (minutes % 60) + " min ago";
    }
    return null; // older: the absolute time the page was rendered with stays
  }

  function relativeTimes(root) {
    root.querySelectorAll("time[datetime] [data-live-ago]").forEach(function (span) {
      var text = ago(Date.parse(span.parentNode.getAttribute("datetime")));
      if (text) {
        span.textContent = text;
      }
    });
  }

  function element(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function place(item, isPinned) {
    var list = isPinned ? pinned : timeline;
    var published = Date.parse(item.getAttribute("data-published"));
    var children = list.children;
    for (var i = 0; i < children.length; i++) {
      if (Date.parse(children[i].getAttribute("data-published")) <= published) {
        list.insertBefore(item, children[i]);
        return;
      }
    }
    list.appendChild(item);
  }

  function byId(id) {
    return live.querySelector('[data-update-id="' + id + '"]');
  }

  function apply(answer) {
    var added = 0;
    (answer.removed || []).forEach(function (id) {
      var old = byId(id);
      if (old) {
        old.remove();
      }
    });
    (answer.updates || []).forEach(function (update) {
      var old = byId(update.id);
      var item = element(update.html);
      relativeTimes(item);
      if (old && old.parentNode === (update.pinned ? pinned : timeline)) {
        old.replaceWith(item);
        return;
      }
      if (old) {
        old.remove();
      } else {
        added += 1;
      }
      place(item, update.pinned);
    });
    if (answer.key_points !== undefined) {
      var points = document.querySelector("[data-live-key-points]");
      if (points) {
        points.replaceWith(element(answer.key_points));
      }
    }
    if (added) {
      announce.textContent = added === 1 ? "1 new update" : added + " new updates";
    }
  }

  function ended() {
    var status = document.querySelector("[data-live-status]");
    if (status) {
      status.textContent = "Live coverage ended";
      status.classList.add("live-status-ended");
    }
    if (newer) {
      newer.hidden = true;
    }
  }

  function schedule(delay) {
    clearTimeout(timer);
    if (!stopped) {
      timer = setTimeout(poll, delay);
    }
  }

  function stop() {
    stopped = true;
    clearTimeout(timer);
  }

  function interval() {
    var base = document.hidden ? HIDDEN_MS : VISIBLE_MS;
    return Math.min(base * Math.pow(2, failures), MAX_MS);
  }

  function poll() {
    var version = live.getAttribute("data-live-version");
    fetch(url + "?since=" + encodeURIComponent(version), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (answer) {
        failures = 0;
        if (!answer.full) {
          stop(); // this reader may not read it: nothing more to ask
          return;
        }
        if (answer.reload) {
          stop();
          newer.hidden = false;
          announce.textContent = "Many new updates: follow the newer updates link";
          return;
        }
        apply(answer);
        live.setAttribute("data-live-version", answer.version);
        if (!answer.running) {
          stop();
          ended();
          return;
        }
        schedule(interval());
      })
      .catch(function () {
        failures += 1;
        schedule(interval());
      });
  }

  relativeTimes(document);
  setInterval(function () {
    relativeTimes(document);
  }, 30000);
  if (live.getAttribute("data-live-running") !== "true") {
    return;
  }
  if (newer) {
    newer.hidden = true;
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      schedule(1000);
    }
  });
  schedule(interval());
})();
