// Progressive enhancement for the booking page: show times in the browser's zone, and a
// search box over the zone list. Without JavaScript the page works the same; the visitor picks
// the zone from the plain list by hand.
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
  // A search box above the zone list: typing "york" or "new y" keeps the matching zones.
  if (select) {
    var all = Array.prototype.map.call(select.options, function (o) {
      return { value: o.value, text: o.text, key: (o.value + " " + o.text).toLowerCase().replace(/_/g, " ") };
    });
    var search = document.createElement("input");
    search.type = "search";
    search.id = "tz-search";
    search.className = "zone-search";
    search.placeholder = "Search zones (city or region)";
    search.setAttribute("aria-label", "Search time zones");
    search.setAttribute("aria-controls", "tz");
    select.parentNode.insertBefore(search, select);
    search.addEventListener("input", function () {
      var words = search.value.toLowerCase().trim().split(/\s+/);
      var current = select.value;
      while (select.options.length) { select.remove(0); }
      all.forEach(function (z) {
        if (words.every(function (w) { return z.key.indexOf(w) !== -1; }) || z.value === current) {
          var o = new Option(z.text, z.value, false, z.value === current);
          select.add(o);
        }
      });
      // while searching the matches show as a list; an empty search is the plain dropdown again
      select.size = words.join("") ? Math.min(Math.max(select.options.length, 2), 8) : 0;
    });
    search.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { select.focus(); }
    });
    select.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); form.submit(); }
    });
  }
  // Changing the zone or the length reloads the list at once; the button stays for no-JS use.
  ["tz", "length"].forEach(function (id) {
    var el = document.getElementById(id);
    if (el) { el.addEventListener("change", function () { form.submit(); }); }
  });
  var apply = document.getElementById("apply");
  if (apply) { apply.hidden = true; }
}());
