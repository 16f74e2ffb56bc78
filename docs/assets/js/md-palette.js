/* The colour palette toggle (replaces Material's palette component; see
   overrides/partials/palette.html). Runs right after the toggle's markup, before the page is
   first painted: it applies the reader's stored choice, or else the palette whose media query
   matches, so the page is styled once. The choice is stored the way Material stores it
   (__md_set("__palette")), and only when the reader picks one, so until then the site follows
   the system setting. */
(function () {
  var form = document.querySelector("form[data-md-palette]");
  if (!form) return;
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input"));
  if (!inputs.length) return;
  var body = document.body;
  var KEYS = ["media", "scheme", "primary", "accent"];

  function colorOf(input) {
    var color = {};
    KEYS.forEach(function (key) { color[key] = input.getAttribute("data-md-color-" + key); });
    return color;
  }

  function apply(index) {
    var color = colorOf(inputs[index]);
    KEYS.forEach(function (key) {
      if (body.getAttribute("data-md-color-" + key) !== color[key]) body.setAttribute("data-md-color-" + key, color[key]);
    });
    inputs.forEach(function (input, i) {
      input.checked = i === index;
      var label = input.nextElementSibling;
      if (label && label.tagName === "LABEL") label.hidden = i !== index;
    });
    return color;
  }

  // The browser's own colour scheme (scroll bars, built-in controls) follows the palette's: set
  // before the first paint, when changing it costs nothing. Material's two schemes are light
  // ("default") and dark ("slate").
  var SCHEMES = { "default": "light", "slate": "dark" };
  function updateColorScheme(scheme) {
    if (SCHEMES[scheme]) meta("color-scheme").content = SCHEMES[scheme];
  }

  // The colour of the browser's interface (on phones), from the header's computed style; read
  // only when styles are up to date, as reading them earlier would force an extra pass over the
  // whole page.
  function updateThemeColor() {
    var header = document.querySelector("[data-md-component=header]");
    if (!header) return;
    var rgb = (getComputedStyle(header).backgroundColor.match(/\d+/g) || []).slice(0, 3);
    if (rgb.length === 3) {
      meta("theme-color").content = "#" + rgb.map(function (v) { return (+v).toString(16).padStart(2, "0"); }).join("");
    }
  }

  function meta(name) {
    var el = document.head.querySelector('meta[name="' + name + '"]');
    if (!el) {
      el = document.createElement("meta");
      el.name = name;
      document.head.appendChild(el);
    }
    return el;
  }

  // (Material's automatic "(prefers-color-scheme)" option is not used by this site's palette.)
  var stored = typeof __md_get === "function" ? __md_get("__palette") : null;
  var current = stored && typeof stored.index === "number" ? stored.index
    : inputs.findIndex(function (input) { return matchMedia(input.getAttribute("data-md-color-media")).matches; });
  current = Math.max(0, Math.min(current, inputs.length - 1));
  updateColorScheme(apply(current).scheme);
  // After the page has loaded and been painted, when the styles it reads are already computed.
  var later = function () { requestAnimationFrame(function () { setTimeout(updateThemeColor, 0); }); };
  if (document.readyState === "complete") later();
  else window.addEventListener("load", later, { once: true });

  form.addEventListener("change", function (event) {
    var picked = inputs.indexOf(event.target);
    if (picked < 0) return;
    body.setAttribute("data-md-color-switching", "");  // Material's CSS: no transitions meanwhile
    current = picked;
    var color = apply(picked);
    __md_set("__palette", { index: picked, color: color });
    updateColorScheme(color.scheme);
    updateThemeColor();
    setTimeout(function () { body.removeAttribute("data-md-color-switching"); }, 0);
  });

  // Enter on the toggle switches too (Space already does, as on any radio button).
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    var next = inputs[(current + 1) % inputs.length];
    event.preventDefault();
    next.click();
    next.focus();
  });
})();
