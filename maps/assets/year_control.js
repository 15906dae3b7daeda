/* Year-by-year view of a relocation plan (own code, no third-party plugin).
 *
 * relocationYears(map, spec) builds the firm markers into spec.cluster and adds a
 * Leaflet control with one button per year and a play button. Choosing year Y shows:
 *   - every group g of spec.groups with g.from <= Y and (g.to === null or Y <= g.to),
 *     by adding/removing g.layer to/from g.parent (so the layer switcher still works);
 *   - the firm markers whose move year is <= Y (firms not moved in the plan: always).
 * Every string in spec is already HTML-escaped on the Python side; firm rows are
 * [lat, lon, year|null, colour, [escaped popup values in spec.fields order], fixed 1|0]:
 * a fixed firm (committed, or locked by a decision) gets a thick black outline.
 */
(function () {
  "use strict";
  window.relocationYears = function (map, spec) {
    var markers = spec.firms.map(function (r) {
      var fixed = r[5] === 1;
      var m = L.circleMarker([r[0], r[1]], {
        radius: fixed ? 7 : 6, weight: fixed ? 3 : 1, color: fixed ? "#000000" : "#222",
        fillColor: r[3], fillOpacity: 0.9, className: fixed ? "relocation-fixed" : ""
      });
      // r[4]: the popup's values, escaped in Python; the labels are spec.fields.
      m.bindPopup(function () {
        var html = '<table class="relocation-popup">';
        spec.fields.forEach(function (f, i) {
          if (r[4][i] !== "") { html += "<tr><td><b>" + f + "</b></td><td>" + r[4][i] + "</td></tr>"; }
        });
        return html + "</table>";
      });
      m.bindTooltip(r[4][0]);
      return { year: r[2], layer: m };
    });
    var buttons = {};
    var current = null;
    var timer = null;
    var label = null;

    function setYear(y) {
      spec.groups.forEach(function (g) {
        var on = g.from <= y && (g.to === null || y <= g.to);
        if (on && !g.parent.hasLayer(g.layer)) { g.parent.addLayer(g.layer); }
        if (!on && g.parent.hasLayer(g.layer)) { g.parent.removeLayer(g.layer); }
      });
      if (spec.cluster) {
        spec.cluster.clearLayers();
        spec.cluster.addLayers(markers.filter(function (m) {
          return m.year === null || m.year <= y;
        }).map(function (m) { return m.layer; }));
      }
      Object.keys(buttons).forEach(function (k) {
        L.DomUtil[Number(k) === y ? "addClass" : "removeClass"](buttons[k], "active");
      });
      if (label) { label.innerHTML = spec.labels.year + " " + y; }
      current = y;
      map.fire("relocationyear", { year: y });
    }

    function stop() {
      if (timer !== null) { clearInterval(timer); timer = null; }
    }

    function play() {
      stop();
      var i = 0;
      setYear(spec.years[0]);
      timer = setInterval(function () {
        i += 1;
        if (i >= spec.years.length) { stop(); return; }
        setYear(spec.years[i]);
      }, 1200);
    }

    var Control = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var div = L.DomUtil.create("div", "leaflet-bar relocation-years");
        div.id = "year-control";
        label = L.DomUtil.create("div", "relocation-years-label", div);
        var row = L.DomUtil.create("div", "relocation-years-row", div);
        var p = L.DomUtil.create("button", "relocation-years-play", row);
        p.type = "button";
        p.innerHTML = "&#9654; " + spec.labels.play;
        L.DomEvent.on(p, "click", play);
        spec.years.forEach(function (y) {
          var b = L.DomUtil.create("button", "relocation-years-btn", row);
          b.type = "button";
          b.setAttribute("data-year", String(y));
          b.innerHTML = String(y);
          L.DomEvent.on(b, "click", function () { stop(); setYear(y); });
          buttons[y] = b;
        });
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      }
    });
    new Control().addTo(map);
    setYear(spec.initial);
    return { setYear: setYear, current: function () { return current; } };
  };
})();

/* Zoom classes: the map container carries "rz-N" for every threshold N <= its zoom, so
 * the stylesheet can show labels and freed parcels from a zoom on (and hide the per-zone
 * bars there) without touching the layers the year control and layer switcher manage. */
(function () {
  "use strict";
  window.relocationZoomClasses = function (map, thresholds) {
    function update() {
      var z = map.getZoom();
      var el = map.getContainer();
      thresholds.forEach(function (t) {
        L.DomUtil[z >= t ? "addClass" : "removeClass"](el, "rz-" + t);
      });
    }
    map.on("zoomend", update);
    map.whenReady(update);
    update();
  };
})();
