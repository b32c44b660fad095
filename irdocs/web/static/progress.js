// Follows a background job: asks for its progress every second and shows it; when the job is
// over, loads the page again, which then lists the files. Without JavaScript the page refreshes itself.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var state = box.getAttribute("data-state");
  if (state === "done" || state === "failed" || state === "cancelled") return;
  var url = box.getAttribute("data-progress");
  var bar = document.getElementById("job-bar");
  var count = document.getElementById("job-count");
  var label = document.getElementById("job-state");
  var left = document.getElementById("job-left");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { setTimeout(poll, 3000); return; }
        if (job.state === "done" || job.state === "failed" || job.state === "cancelled") { window.location.reload(); return; }
        if (bar) { bar.value = job.percent; bar.textContent = job.percent + "%"; }
        if (label) { label.textContent = job.said; }
        if (left) { left.textContent = job.left; }
        if (count && job.total) {
          count.textContent = box.getAttribute("data-count").replace("{count}", job.count).replace("{total}", job.total) + (job.current ? ": " + job.current : "");
        }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
