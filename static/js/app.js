/* salesdept's one script, loaded by base.html on every page after htmx.
   Conventions (no inline handlers, no inline <script>: the Content-Security-Policy allows
   scripts from 'self' only):
   - data-confirm="question" on a form, a submit button, a link or an htmx element asks first;
   - data-autosubmit on a form (any field) or on one field submits its form on change;
   - htmx form errors answer 4xx with the form fragment, which is swapped in on every page.
   Every page works without it; these are progressive enhancements. */
(function () {
  "use strict";

  // --- htmx settings -------------------------------------------------------------------
  if (window.htmx) {
    // 4xx answers (bad input 400/422, refusal 403, gone 404, conflict 409) come back as
    // fragments with the message in them: swap them in instead of dropping them.
    htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "40[0349]", swap: true, error: false },
      { code: "422", swap: true, error: false },
      { code: "[45]..", swap: false, error: true },
    ];
    // htmx would otherwise add a <style> element (refused by style-src 'self'); the
    // indicator rules live in app.css. No eval: the policy forbids it and nothing needs it.
    htmx.config.includeIndicatorStyles = false;
    htmx.config.allowEval = false;
    htmx.config.allowScriptTags = false;
  }

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  // --- search selects (core/widgets.py) ----------------------------------------------------
  // The search box works through htmx only: without script it stays hidden (Enter in it would
  // submit the form around it), and the select lists the choice and the first options.
  function revealSearchBoxes(root) {
    if (!root || !root.querySelectorAll) return;
    root.querySelectorAll(".search-select-box[hidden]").forEach(function (box) {
      box.hidden = false;
    });
  }
  ready(function () {
    revealSearchBoxes(document);
  });
  document.addEventListener("htmx:load", function (event) {
    revealSearchBoxes(event.detail.elt);
  });

  function searchSelectOf(box) {
    var holder = box.closest(".search-select");
    return holder ? holder.querySelector("select") : null;
  }

  // A search replaces the select's options: the choice made stays chosen (put back on top
  // when the search does not find it) until the user picks another. When the options are asked
  // for again because another field changed (the renewal's client), the old choice may not fit
  // that field any more: it is let go, and so is the search text typed for the old one.
  document.addEventListener("htmx:configRequest", function (event) {
    var box = event.detail.elt;
    if (!box.classList || !box.classList.contains("search-select-box")) return;
    var select = searchSelectOf(box);
    if (!select) return;
    var trigger = event.detail.triggeringEvent;
    var refreshed = trigger && trigger.type === "change" && trigger.target !== box;
    if (refreshed) {
      box.value = "";
      event.detail.parameters.search = "";
    }
    var chosen = select.selectedOptions[0];
    select.searchKept = !refreshed && chosen && chosen.value ? chosen.cloneNode(true) : null;
    select.searchBefore = select.value;
  });

  // New options may leave the select on another choice (or none): say so to what follows it
  // (the renewal search asks again when the client changes).
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!(target && target.tagName === "SELECT" && target.closest(".search-select"))) return;
    var kept = target.searchKept;
    if (kept) {
      var found = Array.prototype.find.call(target.options, function (option) {
        return option.value === kept.value && !option.disabled;
      });
      if (!found) {
        var empty = target.options[0] && target.options[0].value === "" ? target.options[0] : null;
        target.insertBefore(kept, empty ? empty.nextSibling : target.firstChild);
        found = kept;
      }
      found.selected = true;
    }
    target.searchKept = null;
    if (target.value !== target.searchBefore) {
      target.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
  // Enter in a select's search box searches (its "search" event) instead of submitting the
  // form around it with the choice not yet made.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.classList && event.target.classList.contains("search-select-box")) {
      event.preventDefault();
      event.target.dispatchEvent(new Event("search"));
    }
  });

  // --- confirm ---------------------------------------------------------------------------
  // A plain submit or link click asks here; an htmx request asks in htmx:confirm. When the
  // submit of an htmx form was already confirmed, htmx:confirm lets it through.
  var confirmedElement = null;

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var button = event.submitter;
      var message = (button && button.dataset.confirm) || form.dataset.confirm;
      if (!message) return;
      if (!window.confirm(message)) {
        event.preventDefault();
        event.stopImmediatePropagation();
        return;
      }
      confirmedElement = form;
    },
    true
  );

  document.addEventListener(
    "click",
    function (event) {
      var link = event.target.closest && event.target.closest("a[data-confirm]");
      if (!link || link.matches("[hx-get],[hx-post],[hx-put],[hx-patch],[hx-delete]")) return;
      if (!window.confirm(link.dataset.confirm)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  document.addEventListener("htmx:confirm", function (event) {
    var element = event.detail.elt;
    if (confirmedElement === element) {
      confirmedElement = null;
      return;
    }
    var message = element.dataset && element.dataset.confirm;
    if (!message) return;
    event.preventDefault();
    if (window.confirm(message)) event.detail.issueRequest(true);
  });

  // --- autosubmit --------------------------------------------------------------------------
  function submitForm(form) {
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.closest) return;
    var marked = target.closest("[data-autosubmit]");
    if (!marked) return;
    var form = marked.tagName === "FORM" ? marked : target.form;
    if (form) submitForm(form);
  });

  // Filter forms send only the filters in use, so the address bar stays readable.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get" || !event.detail.elt.closest("form.filters")) return;
    var formData = event.detail.formData;
    if (!formData) return;
    Array.from(formData.keys()).forEach(function (key) {
      if (formData.getAll(key).every(function (value) { return value === ""; })) formData.delete(key);
    });
  });

  // --- show a field only when another has a value -------------------------------------------
  // The quick activity form: "direction" only for calls and e-mails.
  var WITH_DIRECTION = ["call", "email"];

  function syncDirection(form) {
    var kind = form.querySelector("[name=kind]");
    var direction = form.querySelector("[name=direction]");
    if (!kind || !direction) return;
    var label = direction.closest("label") || direction.closest(".field");
    if (label) label.hidden = WITH_DIRECTION.indexOf(kind.value) === -1;
  }

  // The deal page: the lost-reason field only matters when moving to a lost stage.
  function toggleLostReason(select) {
    var form = select.closest("form");
    var lostStages = (form.dataset.lostStages || "").split(",");
    var field = form.querySelector("[data-lost-reason]");
    if (field) field.hidden = lostStages.indexOf(select.value) === -1;
  }

  // The decomposition form: the weight inputs only for the levels split "by weights".
  function syncWeights(form) {
    form.querySelectorAll("[data-when]").forEach(function (block) {
      var parts = block.getAttribute("data-when").split("=");
      var checked = form.querySelector('input[name="' + parts[0] + '"]:checked');
      block.hidden = !checked || checked.value !== parts[1];
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.closest) return;
    if (target.name === "kind") {
      var activityForm = target.closest("form.activity-form");
      if (activityForm) syncDirection(activityForm);
    }
    if (target.matches("[data-move-stage]")) toggleLostReason(target);
    var decompose = target.closest("form.decompose-form");
    if (decompose) syncWeights(decompose);
  });

  // --- kanban: drag a card to move it, ask for the reason when it is lost -------------------
  var dragged = null;

  function kanbanValues(extra) {
    var board = document.getElementById("kanban");
    var values = { view: "kanban", filters: board ? board.dataset.filters : "" };
    return Object.assign(values, extra);
  }

  // A card carries its move URL once, on its stage form, and its title once, as its link:
  // no data attributes repeating them on every card (the kanban's bytes grow per card).
  function cardMoveUrl(card) {
    return card.querySelector(".card-move").getAttribute("hx-post");
  }

  function cardTitle(card) {
    return card.querySelector(".card-title").textContent;
  }

  function move(url, stage, fromStage, reason, comment) {
    // The answer is the notice, with the totals, the two columns' headers and the moved
    // card out of band (a refused move answers the whole board, retargeted by the server).
    // fromStage is the stage the card showed: moved by someone else since, the move is a 409.
    htmx.ajax("POST", url, {
      target: "#kanban-status",
      swap: "innerHTML",
      values: kanbanValues({
        stage: stage,
        from_stage: fromStage || "",
        lost_reason: reason || "",
        lost_comment: comment || "",
      }),
    });
  }

  // A card's own requests (its stage select, its Won button) say which stage the card showed,
  // its data-stage (not a hidden field per card: the kanban's bytes grow per card): moved by
  // someone else since, the move is refused (409) and the board shows where it is now.
  document.addEventListener("htmx:configRequest", function (event) {
    var card = event.detail.elt.closest && event.detail.elt.closest("[data-deal][data-stage]");
    if (card && event.detail.verb === "post" && event.detail.path === cardMoveUrl(card)) {
      event.detail.parameters.from_stage = card.dataset.stage;
    }
  });

  // A card's stage select holds only its own stage until it is first used; then the
  // board's stages (one <template> per board) fill it, the current one still selected.
  function fillStageOptions(select) {
    var stages = document.getElementById("kanban-stages");
    if (!stages || select.dataset.filled) return;
    var current = select.value;
    var own = select.options[0];
    var options = document.createDocumentFragment();
    var found = false;
    stages.content.querySelectorAll("option").forEach(function (option) {
      if (option.value === current) {
        options.appendChild(own);
        found = true;
      } else {
        options.appendChild(option.cloneNode(true));
      }
    });
    if (!found) options.insertBefore(own, options.firstChild); // a retired stage stays first
    select.appendChild(options);
    select.value = current;
    select.dataset.filled = "1";
  }

  ["focusin", "pointerdown"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var select = event.target.closest && event.target.closest("select[data-stage-options]");
      if (select) fillStageOptions(select);
    });
  });

  function askLostReason(card) {
    var dialog = document.getElementById("lost-dialog");
    if (!dialog) return;
    var form = dialog.querySelector("form");
    form.action = cardMoveUrl(card);
    form.elements.from_stage.value = card.dataset.stage;
    dialog.querySelector("[data-lost-title]").textContent = cardTitle(card);
    dialog.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
    form.elements.lost_reason.value = "";
    if (form.elements.lost_comment) form.elements.lost_comment.value = "";
    dialog.showModal();
    form.elements.lost_reason.focus();
  }

  function openPendingDialogs(root) {
    root.querySelectorAll("dialog[data-open]").forEach(function (dialog) {
      if (!dialog.open) dialog.showModal();
      var input = dialog.querySelector("[data-autofocus]") || dialog.querySelector("input[type=text]");
      if (input) input.focus();
    });
  }

  function clearDropTargets(except) {
    document.querySelectorAll(".drop-over").forEach(function (el) {
      if (el !== except) el.classList.remove("drop-over");
    });
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("[data-deal]");
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.deal);
    card.classList.add("dragging");
    document.body.classList.add("is-dragging");
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    document.body.classList.remove("is-dragging");
    clearDropTargets(null);
  });

  document.addEventListener("dragover", function (event) {
    var zone = dragged && event.target.closest && event.target.closest("[data-drop-stage]");
    if (!zone) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    clearDropTargets(zone);
    zone.classList.add("drop-over");
  });

  document.addEventListener("drop", function (event) {
    var zone = dragged && event.target.closest && event.target.closest("[data-drop-stage]");
    if (!zone) return;
    event.preventDefault();
    var card = dragged;
    zone.classList.remove("drop-over");
    if (zone.dataset.dropStage === card.dataset.stage) return;
    if (zone.dataset.kind === "lost") {
      askLostReason(card);
    } else if (zone.dataset.confirm && !window.confirm(zone.dataset.confirm + "\n" + cardTitle(card))) {
      return;
    } else {
      move(cardMoveUrl(card), zone.dataset.dropStage, card.dataset.stage);
    }
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    var lost = event.target.closest("[data-lost]");
    if (lost) {
      event.preventDefault();
      askLostReason(lost.closest("[data-deal]"));
      return;
    }
    var close = event.target.closest("[data-close-dialog]");
    if (close) {
      close.closest("dialog").close();
      return;
    }
    if (event.target.closest("[data-close-panel]")) {
      document.getElementById("board-panel").innerHTML = "";
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("lost-form") || !form.action) return;
    event.preventDefault();
    var dialog = form.closest("dialog");
    var comment = form.elements.lost_comment;
    var values = {
      stage: form.elements.stage.value,
      reason: form.elements.lost_reason.value,
      comment: comment ? comment.value : "",
    };
    dialog.close();
    move(form.action, values.stage, form.elements.from_stage.value, values.reason, values.comment);
  });

  // The lead's board: Escape closes the deal panel.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var panel = document.getElementById("board-panel");
    if (panel && panel.innerHTML.trim()) panel.innerHTML = "";
  });

  // --- the header: the menu button (narrow screens) ------------------------------------------
  function setMenu(open) {
    var toggle = document.querySelector("[data-menu-toggle]");
    if (!toggle) return;
    toggle.closest(".topbar").classList.toggle("menu-open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest("[data-menu-toggle]");
    if (toggle) setMenu(toggle.getAttribute("aria-expanded") !== "true");
  });

  document.addEventListener("keydown", function (event) {
    var toggle = document.querySelector("[data-menu-toggle]");
    if (event.key !== "Escape" || !toggle || toggle.getAttribute("aria-expanded") !== "true") return;
    setMenu(false);
    toggle.focus();
  });

  // --- the header: global search ----------------------------------------------------------------
  // Ctrl+K (Cmd+K) or "/" focuses the box; up/down move through the dropdown's hits, Enter
  // opens the chosen one (or, with none chosen, the full results page), Escape closes it.
  function searchBox() {
    return document.getElementById("header-search-q");
  }

  function searchOptions() {
    var results = document.getElementById("header-search-results");
    return results ? Array.from(results.querySelectorAll("[role=option]")) : [];
  }

  function closeSearch() {
    var results = document.getElementById("header-search-results");
    var box = searchBox();
    if (results) results.innerHTML = "";
    if (box) {
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
    }
  }

  function moveActive(step) {
    var options = searchOptions();
    if (!options.length) return;
    var current = options.findIndex(function (option) { return option.classList.contains("active"); });
    var next = current === -1 ? (step > 0 ? 0 : options.length - 1) : (current + step + options.length) % options.length;
    options.forEach(function (option, index) {
      option.classList.toggle("active", index === next);
      option.setAttribute("aria-selected", index === next ? "true" : "false");
    });
    searchBox().setAttribute("aria-activedescendant", options[next].id);
    options[next].scrollIntoView({ block: "nearest" });
  }

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable=true]");
  }

  document.addEventListener("keydown", function (event) {
    var box = searchBox();
    if (!box) return;
    var shortcut = (event.key === "k" || event.key === "K") && (event.ctrlKey || event.metaKey);
    if (shortcut || (event.key === "/" && !typing(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey)) {
      if (document.querySelector("dialog[open]")) return;
      event.preventDefault();
      setMenu(false);
      box.focus();
      box.select();
      return;
    }
    if (event.target !== box) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      moveActive(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter") {
      var active = searchOptions().find(function (option) { return option.classList.contains("active"); });
      if (active) {
        event.preventDefault();
        window.location.assign(active.href);
      }
    } else if (event.key === "Escape") {
      closeSearch();
    }
  });

  document.addEventListener("click", function (event) {
    var form = document.querySelector("[data-header-search]");
    if (form && !form.contains(event.target)) closeSearch();
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "header-search-results") {
      var box = searchBox();
      box.setAttribute("aria-expanded", searchOptions().length ? "true" : "false");
      box.removeAttribute("aria-activedescendant");
    }
  });

  // --- the quick log: the swapped-in step puts the cursor where typing goes next ---------------
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "quick-log-body") return;
    var field = target.querySelector("[data-autofocus]");
    if (field) field.focus();
  });

  // --- on load and after every swap -----------------------------------------------------------
  function init(root) {
    root.querySelectorAll("form.activity-form").forEach(syncDirection);
    root.querySelectorAll("[data-move-stage]").forEach(toggleLostReason);
    root.querySelectorAll("form.decompose-form").forEach(syncWeights);
    openPendingDialogs(root);
  }

  // --- Saved views: a list's filters change in place (htmx pushes them into the address),
  // so the "save view" form takes the filters from the address when it is submitted.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-saved-view]")) return;
    var params = new URLSearchParams(window.location.search);
    ["page", "view", "export"].forEach(function (name) { params.delete(name); });
    form.elements.query.value = params.toString();
    form.elements.next.value = window.location.pathname + window.location.search;
  }, true);

  // --- a list's filter panel on a phone: folded when no filter is in use, so the first screen
  // shows the list rather than a dozen fields (its summary unfolds it; filters in use stay shown)
  function foldFiltersOnPhones() {
    if (!window.matchMedia("(max-width: 600px)").matches) return;
    var params = new URLSearchParams(window.location.search);
    ["page", "sort", "ordering"].forEach(function (name) { params.delete(name); });
    if (params.toString()) return;
    document.querySelectorAll("details.filter-panel[open]").forEach(function (panel) {
      panel.removeAttribute("open");
    });
  }

  ready(function () { init(document); foldFiltersOnPhones(); });
  document.addEventListener("htmx:afterSettle", function () { init(document); });
})();

// --- the calendar page ---------------------------------------------------------------------
// templates/clients/tasks/calendar.html: FullCalendar (vendored) with the open tasks from the
// events endpoint; dragging a task POSTs its new day and time to the task's move URL
// (task_update on the server); a refusal (400/403/404/409) puts it back and shows why.
// Clicking a task opens its page (the event's url).
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function say(element, text, isError) {
    element.textContent = text;
    element.hidden = false;
    element.classList.toggle("error", !!isError);
  }

  function moveTask(info, root, status) {
    var event = info.event;
    var body = new URLSearchParams();
    // startStr is written in the calendar's time zone (the department's): "2026-12-07" or
    // "2026-12-07T10:00:00+03:00". The Date in event.start reads in the browser's zone.
    body.set("due_date", event.startStr.slice(0, 10));
    if (!event.allDay) {
      body.set("due_time", event.startStr.slice(11, 16));
    }
    fetch(event.extendedProps.moveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) {
            info.revert();
            say(status, (data && data.detail) || root.dataset.error, true);
          } else {
            say(status, root.dataset.moved, false);
          }
        });
      })
      .catch(function () {
        info.revert();
        say(status, root.dataset.error, true);
      });
  }

  function startCalendar() {
    var root = document.getElementById("task-calendar");
    if (!root || !window.FullCalendar) return;
    var status = document.getElementById("calendar-status");
    var narrow = window.matchMedia("(max-width: 600px)").matches;
    // On a phone the toolbar's three parts did not fit one line (the title was cut): the title
    // goes above the calendar, the views stay in the toolbar (below a week's list, about
    // 19,000 px of the whole department, they were out of reach).
    var title = document.getElementById("calendar-title");
    var calendar = new FullCalendar.Calendar(root, {
      initialView: narrow ? "listWeek" : "timeGridWeek",
      headerToolbar: narrow
        ? { start: "prev,next today", end: "listWeek,dayGridMonth" }
        : { start: "prev,next today", center: "title", end: "dayGridMonth,timeGridWeek,listWeek" },
      footerToolbar: false,
      datesSet: function (info) {
        if (narrow && title) {
          title.textContent = info.view.title;
          title.hidden = false;
        }
      },
      locale: root.dataset.locale === "zh-hans" ? "zh-cn" : root.dataset.locale,
      // The department's time zone, not the browser's: "today", the now line and the tasks'
      // times (kept as wall-clock times there) read as on every other page.
      timeZone: root.dataset.timeZone || "local",
      // FullCalendar's own locales leave this label in English.
      timedText: root.dataset.timedText || "Timed",
      firstDay: 1,
      nowIndicator: true,
      slotMinTime: "07:00:00",
      slotMaxTime: "21:00:00",
      height: "auto",
      events: {
        url: root.dataset.eventsUrl + "?" + root.dataset.query,
        // the feed answers one event more than it shows when there are more: say so
        success: function (events) {
          var shown = parseInt(root.dataset.eventsShown, 10);
          if (shown && events.length > shown) {
            say(status, root.dataset.moreEvents, false);
            status.classList.add("warning");
            // a narrower view within these days must ask again, not reuse the cut answer
            this.setOption("lazyFetching", false);
            return events.slice(0, shown);
          }
          if (status.textContent === root.dataset.moreEvents) status.hidden = true;
          status.classList.remove("warning");
          return events;
        },
        failure: function () {
          say(status, root.dataset.error, true);
        },
      },
      eventDrop: function (info) {
        moveTask(info, root, status);
      },
    });
    calendar.render();
    root.calendar = calendar;
  }

  // --- bulk actions ----------------------------------------------------------------------
  // The rows' checkboxes (name="ids", form="bulk-form") and the page's "select all" box;
  // the bar shows once something is selected, and offers every row matching the filter
  // when the whole page is selected. Without this script the bar is always shown.
  function syncBulk(matching) {
    var bar = document.getElementById("bulk-form");
    if (!bar) return;
    var boxes = document.querySelectorAll('input[name="ids"][form="bulk-form"]');
    var checked = 0;
    boxes.forEach(function (box) {
      if (box.checked) checked += 1;
    });
    var all = bar.querySelector("[data-bulk-all-input]");
    var wholePage = boxes.length > 0 && checked === boxes.length;
    if (!wholePage || matching === false) all.value = "0";
    if (matching) all.value = "1";
    var page = document.querySelector("[data-bulk-page]");
    if (page) page.checked = wholePage;
    bar.hidden = checked === 0;
    var total = parseInt(bar.dataset.total, 10) || 0;
    var offer = bar.querySelector("[data-bulk-matching]");
    if (offer) offer.hidden = !(wholePage && total > checked && all.value !== "1");
    var count = bar.querySelector("[data-bulk-count]");
    if (all.value === "1") count.textContent = bar.dataset.selectedAll;
    else if (checked === 1) count.textContent = bar.dataset.selectedOne;
    else count.textContent = bar.dataset.selectedMany.replace("#", checked);
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-bulk-page]")) {
      document.querySelectorAll('input[name="ids"][form="bulk-form"]').forEach(function (box) {
        box.checked = target.checked;
      });
      syncBulk(false);
    } else if (target.matches && target.matches('input[name="ids"][form="bulk-form"]')) {
      syncBulk(false);
    }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-bulk-matching]")) syncBulk(true);
  });
  document.addEventListener("htmx:afterSettle", function () {
    syncBulk(false);
  });
  document.addEventListener("DOMContentLoaded", function () {
    syncBulk(false);
  });

  // DOMContentLoaded comes after every deferred script, FullCalendar's (loaded after this one) too.
  document.addEventListener("DOMContentLoaded", startCalendar);
})();
