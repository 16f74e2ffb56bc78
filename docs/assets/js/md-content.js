/* Material for MkDocs (MIT licence): open the content tab named in the URL hash. Moved out
   of an inline <script> (partials/javascripts/content.html) for the CSP. */
var target = document.getElementById(location.hash.slice(1));
target && target.name && (target.checked = target.name.startsWith("__tabbed_"));
