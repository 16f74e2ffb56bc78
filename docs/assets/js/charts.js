/*
 * charts.js: render every <div class="js-plotly" data-plotly="{...}"> with the site's own
 * partial Plotly bundle (assets/js/plotly-partial.min.js), lazily: a chart is drawn when it
 * comes near the viewport, and the bundle (486 KiB gzipped, long to compile on a phone) is
 * only fetched then, by this file, so pages whose charts are never scrolled to never load it.
 *
 * Loading (overrides/main.html, block scripts; no inline script, CSP script-src 'self'):
 *   <script src=".../assets/js/charts.js" data-plotly-src=".../assets/js/plotly-partial.min.js" defer>
 * data-plotly-src defaults to <site root>/assets/js/plotly-partial.min.js. If a page loads the
 * bundle itself before this file (window.Plotly set), that one is used and nothing is fetched.
 *
 * Contract (written by transparency/charts.py):
 *   <div class="js-plotly" id="ID" data-alt="one-sentence description"
 *        data-plotly='{"data": [...], "layout": {...}, "config": {...}, "frames": [...]}'>
 *   </div>
 *   optional, anywhere on the page:
 *   <label for="ID-year">Year</label>
 *   <select id="ID-year" class="js-plotly-select" data-target="ID">
 *     <option value="2022">2022</option> ...
 *   </select>
 *   On change (and once after drawing) only the traces whose meta.year equals the option
 *   value are shown; if no trace has meta.year, trace names are compared instead. Traces
 *   without the key are left alone; a value no trace has changes nothing.
 *
 * Everything is local: config.topojsonURL is <site root>/assets/geo/topojson/, and a trace's
 * `geojson` string without scheme or leading "/" (write "assets/geo/eu27.geojson") is resolved
 * against the site root, found from this script's own URL (any base path, /sv/ pages too).
 * The div's data-plotly-state is "waiting" (not near the viewport yet), then "pending"
 * (drawing), then "rendered" (or "error"). The page reserves the figure's height (style
 * min-height), so drawing moves nothing. A div with data-plotly-draw="on-demand" holds a
 * preview drawn at build time (the map's SVG) and stays "static" until a mouse enters it or
 * <button class="js-plotly-explore" data-target="ID"> is pressed; its select switches the
 * preview's <g class="static-map__year" data-year="..."> groups meanwhile. Printing draws all charts first
 * (beforeprint). Where IntersectionObserver is missing, every chart is drawn at once.
 * charts.js owns the theme
 * colours (backgrounds, font colour, grid, geo base-map colours) and re-applies them when the
 * Material palette changes. No inline script is needed: runs under CSP script-src 'self'.
 */
(function () {
    'use strict';

    var SELECTOR = 'div.js-plotly[data-plotly]';
    var STATE = 'data-plotly-state'; // waiting | pending | rendered | error
    // Start drawing a chart this far before it scrolls into view (vertical margins).
    var ROOT_MARGIN = '300px 0px';
    // Modebar buttons that make no sense for this site: cloud upload, data selection.
    var REMOVE_BUTTONS = ['sendChartToCloud', 'select2d', 'lasso2d'];
    // Swedish: decimal comma, no-break space between thousands (as Babel writes the tables).
    var SEPARATORS = { sv: ',\u00a0' };
    var TRANSPARENT = 'rgba(0,0,0,0)';

    var SCRIPT = document.currentScript;
    var SITE_ROOT = siteRoot(SCRIPT);
    var TOPOJSON_URL = new URL('assets/geo/topojson/', SITE_ROOT).href;
    var PLOTLY_SRC = SCRIPT && SCRIPT.getAttribute('data-plotly-src'); // relative to the page
    var PLOTLY_URL = PLOTLY_SRC ? new URL(PLOTLY_SRC, document.baseURI).href
        : new URL('assets/js/plotly-partial.min.js', SITE_ROOT).href;
    var plotlyLoading = null; // Promise of window.Plotly, once asked for
    var queue = []; // chart divs waiting to be drawn, in the order they came into view
    var drawing = false;
    var observer = null; // IntersectionObserver, when the browser has one
    var rendered = []; // graph divs drawn so far, for palette changes and clean-up
    // Plotly adds its CSS once, when the bundle loads, as <style id="plotly.js-style-global">;
    // Material's instant navigation drops that element from <head> on the next page.
    var PLOTLY_STYLE_ID = 'plotly.js-style-global';
    var plotlyRules = [];

    // The site root: this file is served from <root>/assets/js/charts.js.
    function siteRoot(script) {
        var src = script && script.src;
        if (!src) {
            var found = Array.prototype.filter.call(document.querySelectorAll('script[src]'), function (s) {
                return /assets\/js\/charts\.js(\?|#|$)/.test(s.src);
            });
            src = found.length ? found[0].src : document.baseURI;
        }
        return new URL('../../', src).href;
    }

    // Resolve a trace's geojson string against the site root unless it is absolute.
    function resolveGeojson(trace) {
        var g = trace && trace.geojson;
        if (typeof g === 'string' && !/^([a-z][a-z0-9+.-]*:|\/)/i.test(g)) {
            trace.geojson = new URL(g, SITE_ROOT).href;
        }
    }

    // "sv" for Swedish pages, "en" otherwise (from <html lang>, e.g. "sv" or "sv-SE").
    function pageLocale() {
        var lang = (document.documentElement.getAttribute('lang') || 'en').toLowerCase();
        return lang.split('-')[0] === 'sv' ? 'sv' : 'en';
    }

    // A CSS colour, resolved to rgb()/rgba() by the browser (Material's variables may use var()).
    function cssColor(variable, fallback) {
        var probe = document.createElement('span');
        probe.style.color = 'var(' + variable + ', ' + fallback + ')';
        probe.style.display = 'none';
        document.body.appendChild(probe);
        var color = getComputedStyle(probe).color;
        probe.remove();
        return color || fallback;
    }

    // Layout keys charts.js owns, as a Plotly.relayout update for the current palette.
    function themeUpdate(axisNames, geoNames) {
        var fg = cssColor('--md-default-fg-color', 'rgba(0,0,0,0.87)');
        var light = cssColor('--md-default-fg-color--light', 'rgba(0,0,0,0.54)');
        var lighter = cssColor('--md-default-fg-color--lighter', 'rgba(0,0,0,0.32)');
        var lightest = cssColor('--md-default-fg-color--lightest', 'rgba(0,0,0,0.07)');
        var update = {
            paper_bgcolor: TRANSPARENT,
            plot_bgcolor: TRANSPARENT,
            'font.color': fg,
            'modebar.bgcolor': TRANSPARENT,
            'modebar.color': light,
            'modebar.activecolor': fg
        };
        axisNames.forEach(function (ax) {
            update[ax + '.gridcolor'] = lightest;
            update[ax + '.zerolinecolor'] = lighter;
            update[ax + '.linecolor'] = lighter;
        });
        geoNames.forEach(function (geo) {
            update[geo + '.bgcolor'] = TRANSPARENT;
            update[geo + '.landcolor'] = lightest;
            update[geo + '.coastlinecolor'] = lighter;
            update[geo + '.countrycolor'] = lighter;
            update[geo + '.framecolor'] = lighter;
            update[geo + '.lakecolor'] = TRANSPARENT;
            update[geo + '.oceancolor'] = TRANSPARENT;
        });
        return update;
    }

    // Cartesian axis and geo subplot names the traces use ("xaxis", "yaxis2", "geo").
    function subplotNames(data) {
        var axes = {};
        var geos = {};
        data.forEach(function (trace) {
            if (trace.type === 'choropleth' || trace.type === 'scattergeo') {
                geos[trace.geo || 'geo'] = true;
            } else {
                axes['xaxis' + String(trace.xaxis || 'x').slice(1)] = true;
                axes['yaxis' + String(trace.yaxis || 'y').slice(1)] = true;
            }
        });
        return { axes: Object.keys(axes), geos: Object.keys(geos) };
    }

    // Write a dotted-path update ("font.color") into a layout object.
    function applyUpdate(layout, update) {
        Object.keys(update).forEach(function (path) {
            var keys = path.split('.');
            var obj = layout;
            for (var i = 0; i < keys.length - 1; i++) {
                if (typeof obj[keys[i]] !== 'object' || obj[keys[i]] === null) obj[keys[i]] = {};
                obj = obj[keys[i]];
            }
            obj[keys[keys.length - 1]] = update[path];
        });
        return layout;
    }

    // Plotly config: local maps, page language, no cloud button, no logo, no scroll hijack.
    function chartConfig(config, locale) {
        config.locale = locale;
        config.topojsonURL = TOPOJSON_URL;
        config.responsive = true;
        config.displaylogo = false;
        config.showSendToCloud = false;
        if (config.scrollZoom === undefined) config.scrollZoom = false;
        var remove = Array.isArray(config.modeBarButtonsToRemove) ? config.modeBarButtonsToRemove : [];
        config.modeBarButtonsToRemove = remove.concat(REMOVE_BUTTONS.filter(function (b) {
            return remove.indexOf(b) < 0;
        }));
        return config;
    }

    // Parse a div's figure and make it ready for Plotly.newPlot; raise on a bad figure.
    function figureFor(div) {
        var fig = JSON.parse(div.getAttribute('data-plotly'));
        if (!fig || !Array.isArray(fig.data)) throw new Error('data-plotly has no "data" array');
        var locale = pageLocale();
        var layout = fig.layout || {};
        fig.data.forEach(resolveGeojson);
        (fig.frames || []).forEach(function (frame) { (frame.data || []).forEach(resolveGeojson); });
        if (layout.separators === undefined && SEPARATORS[locale]) layout.separators = SEPARATORS[locale];
        // one-finger drags should scroll the page on phones, not zoom the chart
        if (layout.dragmode === undefined && window.matchMedia('(pointer: coarse)').matches) layout.dragmode = false;
        var names = subplotNames(fig.data);
        div._chartSubplots = names;
        applyUpdate(layout, themeUpdate(names.axes, names.geos));
        return { data: fig.data, layout: layout, config: chartConfig(fig.config || {}, locale), frames: fig.frames };
    }

    // Plotly draws SVG without a name: give the main one role="img" and the div's data-alt,
    // hide the hover overlay, and name any modebar control that has only a data-title.
    // A role="img" left on the div would hide the modebar buttons inside it (axe:
    // nested-interactive), so the div's own role and name move to the SVG.
    function labelChart(div) {
        var svgs = div.querySelectorAll('svg.main-svg');
        if (div._chartAlt === undefined) {
            div._chartAlt = div.getAttribute('data-alt') || div.getAttribute('aria-label') ||
                (div.layout && div.layout.title && div.layout.title.text) || div.id || 'Chart';
        }
        var title = div._chartAlt;
        if (div.getAttribute('role') === 'img') {
            div.removeAttribute('role');
            div.removeAttribute('aria-label');
        }
        if (svgs[0]) {
            svgs[0].setAttribute('role', 'img');
            svgs[0].setAttribute('aria-label', title);
        }
        for (var i = 1; i < svgs.length; i++) svgs[i].setAttribute('aria-hidden', 'true');
        div.querySelectorAll('.modebar [data-title]:not([aria-label])').forEach(function (el) {
            el.setAttribute('aria-label', el.getAttribute('data-title'));
        });
        div.querySelectorAll('.modebar svg').forEach(function (icon) {
            icon.setAttribute('aria-hidden', 'true');
            icon.setAttribute('focusable', 'false');
        });
    }

    // A trace's year as a string, or null.
    function traceYear(trace) {
        var year = trace.meta && trace.meta.year;
        return year === undefined || year === null ? null : String(year);
    }

    // Show only the traces whose meta.year (or, when no trace has one, name) equals value;
    // traces without that key (a reference line, say) are left alone.
    function selectTraces(div, value) {
        var byYear = div.data.some(function (trace) { return traceYear(trace) !== null; });
        var indices = [];
        var visible = [];
        div.data.forEach(function (trace, i) {
            var key = byYear ? traceYear(trace) : (trace.name === undefined ? null : String(trace.name));
            if (key === null) return;
            indices.push(i);
            visible.push(key === String(value));
        });
        if (indices.length && visible.indexOf(true) >= 0) return Plotly.restyle(div, { visible: visible }, indices);
        return Promise.resolve();
    }

    // Wire every <select class="js-plotly-select" data-target="ID"> to its chart once.
    function bindSelects(div) {
        if (!div.id) return;
        selectsFor(div).forEach(function (select) {
            if (select.getAttribute('data-plotly-bound') !== 'true') {
                select.setAttribute('data-plotly-bound', 'true');
                select.addEventListener('change', function () { selectTraces(div, select.value); });
            }
            selectTraces(div, select.value);
            showTakeaway(div, select.value);
        });
    }

    // Draw one chart div; a bad figure is logged and leaves the div (the table still has the data).
    function renderChart(div) {
        div.setAttribute(STATE, 'pending');
        var fig;
        try {
            fig = figureFor(div);
        } catch (err) {
            div.setAttribute(STATE, 'error');
            console.error('charts.js: cannot read chart ' + (div.id || '') + ': ' + err.message);
            return Promise.resolve();
        }
        div.textContent = ''; // drop any no-JavaScript fallback text before Plotly adds its own
        return Plotly.newPlot(div, fig).then(function () {
            div.on('plotly_afterplot', function () { labelChart(div); });
            labelChart(div);
            bindSelects(div);
            bindHighlights(div);
            retireExplorers(div);
            rendered.push(div);
            div.setAttribute(STATE, 'rendered');
        }, function (err) {
            div.setAttribute(STATE, 'error');
            console.error('charts.js: cannot draw chart ' + (div.id || '') + ': ' + err);
        });
    }

    // Load the Plotly bundle once (a same-origin <script>, allowed by script-src 'self').
    function loadPlotly() {
        if (window.Plotly) return Promise.resolve(window.Plotly);
        if (!plotlyLoading) {
            plotlyLoading = new Promise(function (resolve, reject) {
                var script = document.createElement('script');
                script.src = PLOTLY_URL;
                script.async = true;
                script.onload = function () {
                    if (window.Plotly) resolve(window.Plotly);
                    else reject(new Error('the bundle did not define Plotly'));
                };
                script.onerror = function () { reject(new Error('cannot load ' + PLOTLY_URL)); };
                document.head.appendChild(script);
            });
        }
        return plotlyLoading;
    }

    // Queue a waiting chart for drawing (once).
    function enqueue(div) {
        if (div.getAttribute(STATE) !== 'waiting' || queue.indexOf(div) >= 0) return;
        if (observer) observer.unobserve(div);
        queue.push(div);
        drainQueue();
    }

    // Draw queued charts one at a time, each in its own task, so that the page stays responsive.
    function drainQueue() {
        if (drawing || !queue.length) return;
        drawing = true;
        loadPlotly().then(function () {
            keepPlotlyStyles();
            var next = function () {
                var div = queue.shift();
                if (!div) {
                    drawing = false;
                    return;
                }
                if (!document.body.contains(div) || div.getAttribute(STATE) !== 'waiting') return next();
                Promise.resolve(div).then(renderChart).catch(function (err) {
                    div.setAttribute(STATE, 'error');
                    console.error('charts.js: cannot draw chart ' + (div.id || '') + ': ' + err);
                }).then(function () { setTimeout(next, 0); });
            };
            next();
        }, function (err) {
            drawing = false;
            console.error('charts.js: Plotly bundle not loaded: ' + err.message);
            queue.splice(0).forEach(function (div) { div.setAttribute(STATE, 'error'); });
        });
    }

    // Forget charts that instant navigation removed from the page.
    function purgeDetached() {
        rendered = rendered.filter(function (div) {
            if (document.body.contains(div)) return true;
            Plotly.purge(div);
            return false;
        });
    }

    // Remember Plotly's own CSS rules, or put them back if the element has gone.
    function keepPlotlyStyles() {
        var style = document.getElementById(PLOTLY_STYLE_ID);
        if (style && style.sheet && style.sheet.cssRules.length) {
            plotlyRules = Array.prototype.map.call(style.sheet.cssRules, function (r) { return r.cssText; });
        } else if (!style && plotlyRules.length) {
            // same method as Plotly (insertRule into an empty <style>), so the same CSP applies
            style = document.createElement('style');
            style.id = PLOTLY_STYLE_ID;
            style.appendChild(document.createTextNode(''));
            document.head.appendChild(style);
            if (!style.sheet) return; // a CSP without style-src 'unsafe-inline' blocks it
            plotlyRules.forEach(function (rule, i) { style.sheet.insertRule(rule, i); });
        }
    }

    // Watch every chart on the page not seen yet; draw it when it nears the viewport
    // (safe to call any number of times).
    function renderAll() {
        if (window.Plotly) {
            keepPlotlyStyles();
            purgeDetached();
        }
        document.querySelectorAll(SELECTOR).forEach(function (div) {
            if (div.hasAttribute(STATE)) return;
            if (div.getAttribute('data-plotly-draw') === 'on-demand') return armOnDemand(div);
            div.setAttribute(STATE, 'waiting');  // its height is reserved in the page (style)
            if (observer) observer.observe(div);
            else enqueue(div);
        });
    }

    // A chart whose preview is drawn in the page (data-plotly-draw="on-demand": the map, as
    // SVG) keeps it until the reader asks for the interactive one, with a mouse over it or its
    // "explore" button (not a touch: a finger scrolling past would fetch the whole bundle).
    // Meanwhile its year selector switches the preview's years.
    function armOnDemand(div) {
        div.setAttribute(STATE, 'static');
        var buttons = explorers(div);
        var go = function () {
            if (div.getAttribute(STATE) !== 'static') return;
            div.setAttribute(STATE, 'waiting');
            // busy, not disabled: a disabled button would drop the keyboard focus
            buttons.forEach(function (b) { b.setAttribute('aria-disabled', 'true'); b.setAttribute('aria-busy', 'true'); });
            enqueue(div);
        };
        div.addEventListener('pointerenter', function (event) {
            if (event.pointerType === 'mouse' || event.pointerType === 'pen') go();
        });
        buttons.forEach(function (b) { b.addEventListener('click', go); });
        selectsFor(div).forEach(function (select) {
            select.addEventListener('change', function () {
                showPreviewYear(div, select.value);
                showTakeaway(div, select.value);
            });
            showPreviewYear(div, select.value);
            showTakeaway(div, select.value);
        });
        bindHighlights(div);
    }

    // The caption's takeaway for the selected year (charts.py writes one per year, the others hidden).
    function showTakeaway(div, value) {
        var figure = div.closest('figure');
        if (!figure) return;
        figure.querySelectorAll('.chart-takeaway[data-year]').forEach(function (span) {
            span.hidden = span.getAttribute('data-year') !== String(value);
        });
    }

    // A member state highlighted against the others (<select class="js-plotly-highlight">).
    // Traces say what they draw in meta: {country: code} for a country's own line, {countries:
    // [codes], colours: {...}} for one bar per country, {countries: [codes]} for a map's
    // shapes. The colours are the ones charts.py drew the first highlight with.
    var HIGHLIGHT = '#D55E00';
    var FAINT = '#B8B8B8';

    function highlightUpdate(trace, code) {
        var meta = trace.meta || {};
        if (meta.country !== undefined) {
            var mine = meta.country === code;
            return { 'line.color': mine ? HIGHLIGHT : FAINT, 'line.width': mine ? 3 : 1,
                     mode: mine ? 'lines+markers+text' : 'lines', showlegend: mine };
        }
        if (!Array.isArray(meta.countries)) return null;
        if (trace.type === 'choropleth') {
            return { 'marker.line.width': [meta.countries.map(function (c) { return c === code ? 3 : 0.5; })],
                     'marker.line.color': [meta.countries.map(function (c) { return c === code ? HIGHLIGHT : '#FFFFFF'; })] };
        }
        var colours = meta.colours || {};
        return { 'marker.color': [meta.countries.map(function (c) {
            return colours[c] || (c === code ? colours.highlight || HIGHLIGHT : colours.base);
        })] };
    }

    function highlightCountry(div, code) {
        var updates = [];
        (div.data || []).forEach(function (trace, i) {
            var update = highlightUpdate(trace, code);
            if (update) updates.push([update, i]);
        });
        // the highlighted line goes last, so it is drawn over the others
        var line = (div.data || []).findIndex(function (tr) { return tr.meta && tr.meta.country === code; });
        return updates.reduce(function (done, u) {
            return done.then(function () { return Plotly.restyle(div, u[0], [u[1]]); });
        }, Promise.resolve()).then(function () {
            if (line >= 0 && line !== div.data.length - 1) return Plotly.moveTraces(div, line);
        });
    }

    // The build-time preview (the map's SVG): outline the highlighted country in every year.
    function highlightPreview(div, code) {
        div.querySelectorAll('.static-map__year use[data-country]').forEach(function (use) {
            var mine = use.getAttribute('data-country') === code;
            use.classList.toggle('is-highlighted', mine);
            if (mine) use.parentNode.appendChild(use);
        });
    }

    function highlightsFor(div) {
        return Array.prototype.slice.call(
            document.querySelectorAll('select.js-plotly-highlight[data-target="' + CSS.escape(div.id) + '"]'));
    }

    function bindHighlights(div) {
        highlightsFor(div).forEach(function (select) {
            if (select.getAttribute('data-plotly-highlight-bound') === 'true') return;
            select.setAttribute('data-plotly-highlight-bound', 'true');
            select.addEventListener('change', function () {
                if (div.getAttribute(STATE) === 'rendered') highlightCountry(div, select.value);
                else highlightPreview(div, select.value);
            });
            // a choice made before the chart was drawn (the browser may restore one)
            if (div.getAttribute(STATE) === 'rendered' && select.value !== (select.querySelector('option[selected]') || {}).value) {
                highlightCountry(div, select.value);
            }
        });
    }

    function showPreviewYear(div, value) {
        div.querySelectorAll('.static-map__year').forEach(function (group) {
            group.setAttribute('display', group.getAttribute('data-year') === value ? 'inline' : 'none');
        });
    }

    function explorers(div) {
        return Array.prototype.slice.call(
            document.querySelectorAll('button.js-plotly-explore[data-target="' + CSS.escape(div.id) + '"]'));
    }

    function selectsFor(div) {
        return Array.prototype.slice.call(
            document.querySelectorAll('select.js-plotly-select[data-target="' + CSS.escape(div.id) + '"]'));
    }

    // Once the interactive chart is drawn, its "explore" button has done its work: hide it, and
    // hand its keyboard focus to the chart's year selector.
    function retireExplorers(div) {
        explorers(div).forEach(function (button) {
            var focused = document.activeElement === button;
            (button.closest('.chart-explore') || button).hidden = true;
            var select = selectsFor(div)[0];
            if (focused && select) select.focus();
        });
    }

    // Draw everything still waiting (before printing, say).
    function renderRest() {
        document.querySelectorAll(SELECTOR + '[' + STATE + '="waiting"]').forEach(enqueue);
    }

    // Re-theme drawn charts when the reader switches Material's palette.
    function watchPalette() {
        var scheme = document.body.getAttribute('data-md-color-scheme');
        new MutationObserver(function () {
            var now = document.body.getAttribute('data-md-color-scheme');
            if (now === scheme) return;
            scheme = now;
            purgeDetached();
            rendered.forEach(function (div) {
                var names = div._chartSubplots || { axes: [], geos: [] };
                Plotly.relayout(div, themeUpdate(names.axes, names.geos));
            });
        }).observe(document.body, { attributes: true, attributeFilter: ['data-md-color-scheme'] });
    }

    // Start on DOMContentLoaded, and again on every page Material's instant navigation loads.
    function start() {
        if ('IntersectionObserver' in window) {
            observer = new IntersectionObserver(function (entries) {
                entries.forEach(function (entry) {
                    if (entry.isIntersecting) enqueue(entry.target);
                });
            }, { rootMargin: ROOT_MARGIN });
        }
        window.addEventListener('beforeprint', renderRest);
        watchPalette();
        renderAll();
        if (window.document$ && typeof window.document$.subscribe === 'function') {
            window.document$.subscribe(function () { renderAll(); });
        }
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
})();
