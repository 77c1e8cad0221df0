// Progressive enhancement for the booking page: show times in the browser's zone.
// Without JavaScript the page works the same; the visitor picks the zone by hand.
(function () {
  "use strict";
  var form = document.getElementById("controls");
  if (!form) { return; }
  var select = document.getElementById("tz");
  var detected = "";
  try { detected = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { detected = ""; }
  var known = select && Array.prototype.some.call(select.options, function (o) { return o.value === detected; });
  if (form.dataset.tzDetected === "no" && known && select.value !== detected) {
    select.value = detected;
    form.submit();
    return;
  }
  // Changing the zone or the length reloads the list at once; the button stays for no-JS use.
  ["tz", "length"].forEach(function (id) {
    var el = document.getElementById(id);
    if (el) { el.addEventListener("change", function () { form.submit(); }); }
  });
  var apply = document.getElementById("apply");
  if (apply) { apply.hidden = true; }
}());
