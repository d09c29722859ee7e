// Job progress pages: poll the job's JSON and move the progress bar; reload once the job has finished, so the
// server-rendered page shows the download link or the error. Without JavaScript the page has a reload link.
(function () {
  "use strict";
  var section = document.querySelector("[data-job-url]");
  if (!section || !window.fetch) {
    return;
  }
  var status = section.getAttribute("data-job-status");
  if (status === "done" || status === "failed") {
    return;
  }
  var url = section.getAttribute("data-job-url");
  var bar = section.querySelector("progress");
  var label = section.querySelector("label[for='job-progress']");
  var statusLabel = section.querySelector(".job-status-label");
  var message = section.querySelector(".job-message");
  var warning = section.querySelector(".job-warning");

  function update(job) {
    if (job.total) {
      bar.max = job.total;
      bar.value = job.done;
      bar.textContent = job.percent_text;
      label.textContent = job.done + " / " + job.total;
    }
    statusLabel.textContent = job.status_label;
    message.textContent = job.message;
    if (warning) {
      warning.textContent = job.warning || "";
      warning.hidden = !job.warning;
    }
    if (job.finished) {
      window.location.reload();
      return;
    }
    window.setTimeout(poll, 1000);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(update)
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  var reload = section.querySelector(".job-reload");
  if (reload) {
    reload.hidden = true;
  }
  poll();
})();
