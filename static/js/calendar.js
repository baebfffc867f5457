/* The calendar page (templates/clients/tasks/calendar.html): FullCalendar (vendored) with
   the open tasks from the events endpoint; dragging a task POSTs its new day and time to the
   task's move URL (task_update on the server); a refusal (400/403/404/409) puts it back and
   shows why. Clicking a task opens its page (the event's url). */
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function localDate(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  function say(element, text, isError) {
    element.textContent = text;
    element.hidden = false;
    element.classList.toggle("error", !!isError);
  }

  function moveTask(info, root, status) {
    var event = info.event;
    var body = new URLSearchParams();
    body.set("due_date", localDate(event.start));
    if (!event.allDay) {
      body.set("due_time", pad(event.start.getHours()) + ":" + pad(event.start.getMinutes()));
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

  function start() {
    var root = document.getElementById("task-calendar");
    if (!root || !window.FullCalendar) return;
    var status = document.getElementById("calendar-status");
    var narrow = window.matchMedia("(max-width: 600px)").matches;
    var calendar = new FullCalendar.Calendar(root, {
      initialView: narrow ? "listWeek" : "timeGridWeek",
      headerToolbar: { start: "prev,next today", center: "title", end: "dayGridMonth,timeGridWeek,listWeek" },
      locale: root.dataset.locale === "zh-hans" ? "zh-cn" : root.dataset.locale,
      firstDay: 1,
      nowIndicator: true,
      slotMinTime: "07:00:00",
      slotMaxTime: "21:00:00",
      height: "auto",
      events: {
        url: root.dataset.eventsUrl + "?" + root.dataset.query,
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

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
