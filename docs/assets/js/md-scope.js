/* Material for MkDocs (MIT licence) page bootstrap, moved out of an inline <script> so that the
   site's Content-Security-Policy can forbid inline scripts. Same code as Material's
   partials/javascripts/base.html; the scope comes from the script tag's data-scope. */
var __md_scope = new URL(document.currentScript.dataset.scope, location),
  __md_hash = function (e) { return [...e].reduce(function (e, _) { return (e << 5) - e + _.charCodeAt(0); }, 0); },
  __md_get = function (e, _, t) { _ = _ || localStorage; t = t || __md_scope; return JSON.parse(_.getItem(t.pathname + "." + e)); },
  __md_set = function (e, _, t, a) { t = t || localStorage; a = a || __md_scope; try { t.setItem(a.pathname + "." + e, JSON.stringify(_)); } catch (e) {} };
