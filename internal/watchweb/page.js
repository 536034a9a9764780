// The live page of depgraph watch: polls api/situations and redraws.
// Every string from the snapshot is set as text (textContent or an SVG
// text node), never parsed as markup; a URL becomes a link only when it
// is http or https.
(function () {
  'use strict';
  var SVGNS = 'http://www.w3.org/2000/svg';
  var MAX_DRAWN = 60; // nodes drawn per situation
  var MAX_ROWS = 100; // rows per table

  var body = document.body;
  var intervalMs = Number(body.getAttribute('data-interval-ms')) || 0;
  var refreshMs = Math.min(intervalMs > 0 ? intervalMs : 5000, 5000);
  var params = new URLSearchParams(window.location.search);
  var fixed = false; // ?refresh= given: keep it
  if (params.has('refresh')) {
    var r = Number(params.get('refresh'));
    if (isFinite(r) && r >= 50) { refreshMs = Math.min(r, 600000); fixed = true; }
  }

  // depgraphWatch is the page's state, for a reader's console and tests.
  var st = window.depgraphWatch = {
    loadedAt: Date.now(), refreshMs: refreshMs, renders: 0,
    polls: 0, lastOk: 0, lastError: '', failures: 0, data: null, opened: {}, key: '', bannerKey: ''
  };

  // safe returns s as one line with every control character, bidi
  // override and isolate shown as an escape (as internal/textsafe does).
  function safe(s) {
    if (s === null || s === undefined) return '';
    s = String(s);
    return s.replace(/[\t\n\r\u2028\u2029]+/g, ' ').replace(
      /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g,
      function (c) {
        var h = c.charCodeAt(0).toString(16);
        return c.charCodeAt(0) < 0x100 ? '\\x' + ('0' + h).slice(-2) : '\\u' + ('000' + h).slice(-4);
      });
  }

  // el makes an element with a class and text.
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = safe(text);
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return parent;
  }
  function svgEl(tag, attrs) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, String(attrs[k]));
    return e;
  }
  function arr(a) { return Array.isArray(a) ? a : []; }

  // httpURL returns u as an absolute http(s) URL, or '' for any other.
  function httpURL(u) {
    if (typeof u !== 'string' || u === '') return '';
    try {
      var x = new URL(u);
      if (x.protocol === 'http:' || x.protocol === 'https:') return x.href;
    } catch (e) { /* not a URL */ }
    return '';
  }

  function pct(p) {
    if (typeof p !== 'number' || !isFinite(p)) return '?';
    var v = p * 100;
    return (v > 0 && v < 10 ? v.toFixed(1) : Math.round(v).toString()) + ' %';
  }
  function date(s) {
    if (!s) return '';
    var d = new Date(s);
    if (isNaN(d.getTime()) || d.getUTCFullYear() < 1900) return '';
    return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');
  }
  function ago(s, now) {
    var d = new Date(s).getTime(), n = new Date(now).getTime();
    if (isNaN(d) || isNaN(n)) return '';
    var sec = Math.max(0, Math.round((n - d) / 1000));
    if (sec < 90) return sec + ' s ago';
    if (sec < 5400) return Math.round(sec / 60) + ' min ago';
    if (sec < 129600) return Math.round(sec / 3600) + ' h ago';
    return Math.round(sec / 86400) + ' days ago';
  }
  function dur(sec) {
    if (!(sec > 0)) return '';
    if (sec < 90) return Math.round(sec) + ' s';
    if (sec < 5400) return Math.round(sec / 60) + ' min';
    return Math.round(sec / 3600) + ' h';
  }
  // when is a date with how long ago it was, the latter kept current by
  // refreshAgo between redraws.
  function when(t, now) {
    var span = el('span', '', date(t) + ' (');
    var a = el('span', 'ago', ago(t, now));
    a.setAttribute('data-t', String(t));
    add(span, a, ')');
    return span;
  }
  function refreshAgo(now) {
    var l = document.querySelectorAll('.ago');
    for (var i = 0; i < l.length; i++) l[i].textContent = ago(l[i].getAttribute('data-t'), now);
  }
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  // names renders node ids as a comma-separated list, each tagged unknown
  // when it is in the unknown set.
  function names(list, unknown) {
    list = arr(list);
    var span = el('span', 'list');
    if (list.length === 0) { span.textContent = 'none'; return span; }
    list.forEach(function (n) {
      var s = el('span', 'name', n);
      if (unknown && unknown[n]) add(s, el('span', 'tag unknown', 'unknown'));
      span.appendChild(s);
    });
    return span;
  }
  function set(list) {
    var m = Object.create(null);
    arr(list).forEach(function (n) { m[n] = true; });
    return m;
  }
  function facts(rows) {
    var dl = el('dl', 'facts');
    rows.forEach(function (r) {
      if (!r) return;
      add(dl, el('dt', '', r[0]), add(el('dd'), r[1]));
    });
    return dl;
  }
  function section(id) {
    var s = document.getElementById(id);
    var b = s.querySelector('.body');
    b.replaceChildren();
    return { sec: s, body: b, h: s.querySelector('h2') };
  }
  function heading(s, text, n) { s.h.textContent = n === undefined ? text : text + ' (' + n + ')'; }
  function empty(text) { return el('p', 'empty', text); }

  // details makes a <details> whose open state survives redraws.
  function details(key, summary, content) {
    var d = el('details');
    if (st.opened[key]) d.open = true;
    d.addEventListener('toggle', function () { st.opened[key] = d.open; });
    add(d, el('summary', '', summary), content);
    return d;
  }

  function table(headers, rows, rowClass) {
    var t = el('table'), th = el('thead'), tr = el('tr'), tb = el('tbody');
    headers.forEach(function (h) { var c = el('th', '', h); c.scope = 'col'; tr.appendChild(c); });
    add(t, add(th, tr), tb);
    rows.slice(0, MAX_ROWS).forEach(function (r, i) {
      var row = el('tr', rowClass ? rowClass(i) : '');
      r.forEach(function (c) {
        var td = el('td', c && c.num ? 'num' : '');
        if (c instanceof Node) td.appendChild(c);
        else if (c && c.num) td.textContent = c.text;
        else td.textContent = safe(c);
        row.appendChild(td);
      });
      tb.appendChild(row);
    });
    var wrap = el('div', 'tablewrap');
    wrap.appendChild(t);
    if (rows.length > MAX_ROWS) wrap.appendChild(el('p', 'note', (rows.length - MAX_ROWS) + ' more rows not shown (see api/situations).'));
    return wrap;
  }

  // layout places the nodes of paths (each from a service down to the
  // root) in layers: a node's layer is the length of its longest chain
  // down to a node with no dependency among the paths, so every edge
  // points down; the services are at the top, the root at the bottom.
  function layout(paths, roots) {
    var order = [], seen = Object.create(null), down = Object.create(null), edges = [], ekeys = Object.create(null);
    paths.forEach(function (p) {
      arr(p).forEach(function (n, i) {
        n = String(n);
        if (!seen[n]) { seen[n] = true; order.push(n); down[n] = []; }
        if (i > 0) {
          var a = String(p[i - 1]);
          var k = JSON.stringify([a, n]);
          if (a !== n && !ekeys[k]) { ekeys[k] = true; edges.push([a, n]); down[a].push(n); }
        }
      });
    });
    var cut = 0;
    if (order.length > MAX_DRAWN) {
      // Keep the roots, then the nodes in order of first appearance.
      cut = order.length - MAX_DRAWN;
      var kept = order.filter(function (n) { return roots[n]; });
      order.forEach(function (n) { if (!roots[n] && kept.length < MAX_DRAWN) kept.push(n); });
      var keep = set(kept);
      order = order.filter(function (n) { return keep[n]; });
      edges = edges.filter(function (e) { return keep[e[0]] && keep[e[1]]; });
      order.forEach(function (n) { down[n] = down[n].filter(function (m) { return keep[m]; }); });
    }
    var level = Object.create(null), busy = Object.create(null);
    function lv(n) {
      if (level[n] !== undefined) return level[n];
      if (busy[n]) return 0; // a cycle: cut it here
      busy[n] = true;
      var l = 0;
      down[n].forEach(function (m) { l = Math.max(l, lv(m) + 1); });
      busy[n] = false;
      level[n] = l;
      return l;
    }
    var top = 0;
    order.forEach(function (n) { top = Math.max(top, lv(n)); });
    var rows = [];
    for (var i = 0; i <= top; i++) rows.push([]);
    order.forEach(function (n) { rows[top - level[n]].push(n); });
    // One downward sweep: order each row by the mean position of the
    // nodes above that depend on it (barycentre), keeping first
    // appearance for ties.
    var pos = Object.create(null);
    rows[0].forEach(function (n, i) { pos[n] = i; });
    for (var r = 1; r < rows.length; r++) {
      var bary = Object.create(null);
      rows[r].forEach(function (n, i) { bary[n] = { s: 0, c: 0, i: i }; });
      edges.forEach(function (e) {
        if (bary[e[1]] && pos[e[0]] !== undefined) { bary[e[1]].s += pos[e[0]]; bary[e[1]].c++; }
      });
      rows[r].sort(function (a, b) {
        var x = bary[a], y = bary[b];
        var ax = x.c ? x.s / x.c : x.i, by = y.c ? y.s / y.c : y.i;
        return ax - by || x.i - y.i;
      });
      rows[r].forEach(function (n, i) { pos[n] = i; });
    }
    return { rows: rows, edges: edges, cut: cut };
  }

  var graphs = 0;
  // graph draws a situation's paths as a layered diagram.
  function graph(s) {
    var paths = arr(s.paths).filter(function (p) { return arr(p).length > 0; });
    if (paths.length === 0) return empty('No dependency chain recorded for this situation.');
    var roots = set(s.roots);
    var L = layout(paths, roots);
    var unknown = set(s.unknown), reporting = set(s.reporting), services = set(s.affected_services);
    var CH = 7.3, PADX = 10, BOXH = 26, GAPX = 18, ROWH = 64, MARGIN = 8, MAXC = 34;
    var box = Object.create(null), width = 0;
    L.rows.forEach(function (row, r) {
      var x = 0;
      row.forEach(function (n) {
        var label = safe(n);
        if (label.length > MAXC) label = label.slice(0, MAXC - 1) + '…';
        if (unknown[n]) label += ' ?';
        var w = Math.round(label.length * CH + 2 * PADX);
        box[n] = { x: x, y: MARGIN + r * ROWH, w: w, label: label };
        x += w + GAPX;
      });
      width = Math.max(width, x - GAPX);
    });
    L.rows.forEach(function (row) { // centre each row
      if (row.length === 0) return;
      var last = box[row[row.length - 1]];
      var shift = (width - (last.x + last.w)) / 2;
      row.forEach(function (n) { box[n].x += shift + MARGIN; });
    });
    var W = width + 2 * MARGIN, H = MARGIN * 2 + (L.rows.length - 1) * ROWH + BOXH;
    var id = 'g' + (++graphs);
    var svg = svgEl('svg', { 'class': 'chains', width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-labelledby': id + '-t' });
    var title = svgEl('title', { id: id + '-t' });
    title.textContent = 'Affected part of the graph: ' + plural(paths.length, 'chain', 'chains') + ' from a service down to the root ' + arr(s.roots).map(safe).join(', ');
    svg.appendChild(title);
    var defs = svgEl('defs', {});
    var marker = svgEl('marker', { id: id + '-a', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.appendChild(svgEl('path', { d: 'M0,0 L10,5 L0,10 z', 'class': 'arrow' }));
    defs.appendChild(marker);
    svg.appendChild(defs);
    L.edges.forEach(function (e) {
      var a = box[e[0]], b = box[e[1]];
      var x1 = a.x + a.w / 2, y1 = a.y + BOXH, x2 = b.x + b.w / 2, y2 = b.y;
      if (b.y <= a.y) { y1 = a.y + BOXH / 2; y2 = b.y + BOXH / 2; x1 = a.x + (b.x > a.x ? a.w : 0); x2 = b.x + (b.x > a.x ? 0 : b.w); }
      var my = (y1 + y2) / 2;
      svg.appendChild(svgEl('path', { 'class': 'edge', d: 'M' + x1 + ',' + y1 + ' C' + x1 + ',' + my + ' ' + x2 + ',' + my + ' ' + x2 + ',' + y2, 'marker-end': 'url(#' + id + '-a)' }));
    });
    Object.keys(box).forEach(function (n) {
      var b = box[n], cls = ['node'];
      if (services[n]) cls.push('service');
      if (reporting[n]) cls.push('reporting');
      if (unknown[n]) cls.push('unknown');
      if (roots[n]) cls.push('root');
      var g = svgEl('g', { 'class': cls.join(' ') });
      var t = svgEl('title', {});
      var what = [];
      if (roots[n]) what.push('root');
      if (services[n]) what.push('service');
      if (reporting[n]) what.push('reporting');
      if (unknown[n]) what.push('state unknown');
      t.textContent = safe(n) + (what.length ? ' (' + what.join(', ') + ')' : '');
      g.appendChild(t);
      g.appendChild(svgEl('rect', { x: b.x, y: b.y, width: b.w, height: BOXH, rx: 5 }));
      var tx = svgEl('text', { x: b.x + b.w / 2, y: b.y + BOXH / 2 + 4, 'text-anchor': 'middle' });
      tx.textContent = b.label;
      g.appendChild(tx);
      svg.appendChild(g);
    });
    var fig = el('figure', 'graph');
    fig.appendChild(svg);
    var cap = el('figcaption', '', 'Arrows point from a node to what it depends on.' + (L.cut ? ' ' + L.cut + ' more nodes not drawn.' : ''));
    fig.appendChild(cap);
    var legend = el('p', 'legend');
    [['root', 'root'], ['service', 'your service'], ['reporting', 'reporting trouble'], ['unknown', 'state unknown (?)']].forEach(function (l) {
      add(legend, add(el('span'), el('i', l[0]), l[1]));
    });
    legend.setAttribute('aria-hidden', 'true');
    fig.appendChild(legend);
    return fig;
  }

  function chains(s, key) {
    var ol = el('ol', 'chains');
    arr(s.paths).forEach(function (p) {
      ol.appendChild(el('li', 'name', arr(p).map(safe).join(' → ')));
    });
    return details(key, 'The chains as text (' + arr(s.paths).length + ')', ol);
  }

  function incidents(list) {
    list = arr(list);
    if (list.length === 0) return null;
    var ul = el('ul', 'plain');
    list.forEach(function (i) {
      var li = el('li');
      add(li, el('span', 'name', i.node), ': ');
      var href = httpURL(i.url);
      var title = safe(i.title) || safe(i.id) || 'incident';
      if (href) {
        var a = el('a', '', title);
        a.href = href;
        a.rel = 'noopener noreferrer nofollow';
        a.referrerPolicy = 'no-referrer';
        li.appendChild(a);
      } else {
        li.appendChild(el('span', '', title));
        if (i.url) add(li, ' ', el('span', 'note', '(link not shown: not http or https)'));
      }
      if (i.id) add(li, ' ', el('span', 'note', '[' + safe(i.id) + ']'));
      ul.appendChild(li);
    });
    return ul;
  }

  function situation(s, kind, now) {
    var a = el('article', 'situation ' + kind);
    var unknown = set(s.unknown);
    var h = el('h3');
    add(h, kind === 'pending' ? 'Held back: ' : 'Root: ', names(s.roots, unknown));
    if (kind === 'resolved') add(h, el('span', 'tag resolved', 'resolved'));
    if (kind === 'pending') add(h, el('span', 'tag pending', 'not alerted'));
    a.appendChild(h);
    var resolvedAt;
    if (kind === 'resolved') resolvedAt = ['Resolved', s.resolved_at && date(s.resolved_at) ? when(s.resolved_at, now) : 'unknown'];
    a.appendChild(facts([
      ['Situation', el('span', 'name', s.id)],
      ['Layer', s.layer ? safe(s.layer) : 'unknown'],
      ['Probability', el('span', 'prob', pct(s.probability))],
      ['Affected services', names(s.affected_services, unknown)],
      ['Reporting', names(s.reporting, unknown)],
      arr(s.unknown).length ? ['Unknown state', names(s.unknown, unknown)] : null,
      ['Opened', date(s.opened_at) ? when(s.opened_at, now) : 'unknown'],
      ['Updated', date(s.updated_at)],
      resolvedAt
    ]));
    var inc = incidents(s.incidents);
    if (inc) { a.appendChild(el('h4', '', 'Incidents')); a.appendChild(inc); }
    if (kind === 'open') a.appendChild(graph(s));
    a.appendChild(chains(s, kind + ':' + s.id));
    return a;
  }

  function unreadable(d) {
    return arr(d.feeds).filter(function (f) { return !f.read; });
  }
  function unknownNodes(d) {
    return arr(d.nodes).filter(function (n) { return n.unknown; });
  }

  // render shows d. The cycle line and the relative times follow every
  // poll; the rest is redrawn only when it changed, so that a reader's
  // focus, scroll and screen reader are not disturbed every few seconds.
  function render(d) {
    var live = d.live || {};
    var now = live.now || new Date().toISOString();
    var open = arr(d.open), bad = unreadable(d), unk = unknownNodes(d);
    body.setAttribute('data-cycle', String(d.cycle || 0));
    body.setAttribute('data-open', String(open.length));

    // The cycle line.
    var cyc = document.getElementById('cycle');
    if (!d.cycle) {
      cyc.textContent = 'No cycle completed yet.';
    } else {
      cyc.textContent = 'Cycle ' + d.cycle + ' completed ' + date(live.last_cycle || d.at) + ' (' + ago(live.last_cycle || d.at, now) + ')' +
        (live.interval_seconds ? ', every ' + dur(live.interval_seconds) : '') + '. Page refreshed ' + date(new Date().toISOString()) + '.';
    }

    // The banner: stale or unreachable (an alert: redrawn only when its
    // text changes).
    var notes = [];
    if (live.stale) {
      notes.push(['stale', 'Stale: no cycle has completed for more than 3 intervals (the last one at ' + date(live.last_cycle) +
        '). What this page shows may be out of date.']);
    }
    if (st.lastError) {
      notes.push(['offline', 'Cannot reach the watch server (' + st.lastError + ') since ' +
        date(new Date(st.failedSince).toISOString()) + ': showing the last state received.']);
    }
    var bkey = JSON.stringify(notes);
    if (bkey !== st.bannerKey) {
      var banner = document.getElementById('banner');
      banner.replaceChildren();
      notes.forEach(function (n) { banner.appendChild(el('p', 'notice ' + n[0], n[1])); });
      st.bannerKey = bkey;
    }

    var key = JSON.stringify([d.cycle, d.at, d.open, d.resolved, d.pending, d.events, d.feeds, d.nodes]);
    if (key !== st.key) {
      st.key = key;
      sections(d, now, bad, unk);
      st.renders++;
    }
    refreshAgo(now);
  }

  function sections(d, now, bad, unk) {
    var open = arr(d.open), pending = arr(d.pending);

    // The headline.
    var sum = document.getElementById('summary');
    sum.replaceChildren();
    var hl;
    if (!d.cycle) {
      hl = el('p', 'headline unknown', 'Waiting for the first cycle: the state of every feed is unknown.');
    } else if (open.length > 0) {
      hl = el('p', 'headline bad', plural(open.length, 'open situation', 'open situations') + ': ' +
        open.map(function (s) { return arr(s.roots).map(safe).join(' + '); }).join('; '));
    } else if (bad.length > 0 || unk.length > 0) {
      hl = el('p', 'headline unknown', 'No open situation among the feeds read, but the state of ' +
        plural(bad.length, 'feed', 'feeds') + ' (' + plural(unk.length, 'node', 'nodes') + ') is unknown.');
    } else {
      hl = el('p', 'headline ok', 'No open situation. All ' + plural(arr(d.feeds).length, 'feed', 'feeds') + ' read.');
    }
    sum.appendChild(hl);
    if (d.cycle && open.length > 0 && (bad.length > 0 || unk.length > 0)) {
      sum.appendChild(el('p', 'note', 'The state of ' + plural(bad.length, 'feed', 'feeds') + ' (' + plural(unk.length, 'node', 'nodes') + ') is unknown: see Unknown state.'));
    }

    // Open situations.
    var s = section('open');
    heading(s, 'Open situations', open.length);
    if (open.length === 0) {
      s.body.appendChild(empty(!d.cycle ? 'No cycle yet: nothing is known.' :
        bad.length > 0 ? 'No open situation among the feeds read; ' + plural(bad.length, 'feed is', 'feeds are') + ' unreadable, so their nodes’ state is unknown.' :
          'No open situation.'));
    }
    open.forEach(function (x) { s.body.appendChild(situation(x, 'open', now)); });

    // Pending.
    s = section('pending');
    heading(s, 'Held back, not alerted yet', pending.length);
    s.sec.hidden = pending.length === 0;
    if (pending.length) s.body.appendChild(el('p', 'note', 'Trouble seen again soon after a situation resolved; alerted once confirmed over several cycles. Monitored meanwhile.'));
    pending.forEach(function (x) { s.body.appendChild(situation(x, 'pending', now)); });

    // Unknown state.
    s = section('unknown');
    heading(s, 'Unknown state', bad.length + unk.length);
    s.sec.hidden = bad.length + unk.length === 0;
    if (bad.length) {
      s.body.appendChild(el('h3', '', 'Unreadable feeds (' + bad.length + ')'));
      s.body.appendChild(table(['Feed', 'Nodes', 'Last success', 'Last error', 'Failed cycles'], bad.map(function (f) {
        return [el('span', 'name', f.key), names(f.nodes), f.last_success ? when(f.last_success, now) : 'never', f.last_error || '', { num: true, text: String(f.errors || 0) }];
      })));
    }
    if (unk.length) {
      s.body.appendChild(el('h3', '', 'Nodes whose state is unknown (' + unk.length + ')'));
      var p = el('p');
      p.appendChild(names(unk.map(function (n) { return n.node; })));
      s.body.appendChild(p);
    }

    // Resolved.
    var res = arr(d.resolved);
    s = section('resolved');
    heading(s, 'Recently resolved', res.length);
    if (!res.length) s.body.appendChild(empty('None.'));
    res.forEach(function (x) { s.body.appendChild(situation(x, 'resolved', now)); });

    // Events.
    var ev = arr(d.events);
    s = section('events');
    heading(s, 'Recent events', ev.length);
    if (!ev.length) s.body.appendChild(empty('None yet.'));
    else {
      s.body.appendChild(table(['When', 'Event', 'Situation', 'Roots', 'Details'], ev.map(function (e) {
        var k = safe(e.event);
        var tag = el('span', 'tag ' + (/^[a-z]+$/.test(k) ? k : ''), k);
        var det = e.event === 'blind' ? 'unreadable: ' + arr(e.unreadable_feeds).map(safe).join(', ') :
          arr(e.changes).length ? arr(e.changes).map(safe).join('; ') :
            arr(e.affected_services).length ? 'affects ' + arr(e.affected_services).map(safe).join(', ') : '';
        return [date(e.at), tag, el('span', 'name', e.situation), el('span', 'name', arr(e.roots).map(safe).join(', ')), det];
      })));
    }

    // Nodes and feeds.
    var nodes = arr(d.nodes).filter(function (n) { return n.impairment > 0 || n.reported > 0 || n.unknown; });
    nodes.sort(function (a, b) { return (b.unknown - a.unknown) || (b.impairment - a.impairment) || (String(a.node) < String(b.node) ? -1 : 1); });
    s = section('nodes');
    heading(s, 'Nodes and feeds');
    s.body.appendChild(el('p', 'note', plural(arr(d.nodes).length, 'node', 'nodes') + ' watched, ' + plural(nodes.length, 'impaired or unknown', 'impaired or unknown') +
      '; ' + plural(arr(d.feeds).length, 'feed', 'feeds') + ', ' + bad.length + ' unreadable.'));
    if (nodes.length) {
      s.body.appendChild(details('nodes', 'Impaired and unknown nodes (' + nodes.length + ')', table(['Node', 'Kind', 'Impairment', 'Reported'], nodes.map(function (n) {
        var cell = el('span');
        if (n.unknown) cell.appendChild(el('span', 'tag unknown', 'unknown'));
        else {
          var bar = el('span', 'bar');
          bar.style.width = Math.round(Math.max(0, Math.min(1, n.impairment)) * 60) + 'px';
          add(cell, bar, pct(n.impairment));
        }
        return [el('span', 'name', n.node), n.kind || '', cell, n.unknown ? 'unknown' : pct(n.reported)];
      }), function (i) { return nodes[i].unknown ? 'unknown' : ''; })));
    }
    var feeds = arr(d.feeds);
    if (feeds.length) {
      s.body.appendChild(details('feeds', 'Every feed (' + feeds.length + ')', table(['Feed', 'State', 'Nodes', 'Last success', 'Failed cycles'], feeds.map(function (f) {
        return [el('span', 'name', f.key), f.read ? el('span', 'tag read', 'read') : el('span', 'tag unknown', 'unreadable'), names(f.nodes),
          f.last_success ? date(f.last_success) : 'never', { num: true, text: String(f.errors || 0) }];
      }), function (i) { return feeds[i].read ? '' : 'unknown'; })));
    }
  }

  function poll() {
    var ctl = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = ctl ? setTimeout(function () { ctl.abort(); }, Math.max(2000, 2 * refreshMs)) : 0;
    fetch('api/situations', { cache: 'no-store', headers: { Accept: 'application/json' }, signal: ctl ? ctl.signal : undefined })
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      })
      .then(function (d) {
        st.data = d; st.lastOk = Date.now(); st.lastError = ''; st.failures = 0; st.polls++;
        var iv = d.live && d.live.interval_seconds;
        if (!fixed && iv > 0) st.refreshMs = refreshMs = Math.max(50, Math.min(iv * 1000, 5000));
        try {
          render(d);
        } catch (e) {
          // A bug of this page, not the server's: say so, and try again
          // at the next poll.
          st.key = '';
          console.error('depgraph watch: render:', e);
          document.getElementById('summary').replaceChildren(el('p', 'headline unknown', 'This page failed to show the state (' +
            ((e && e.message) || 'error') + '): the data is at api/situations.'));
        }
      }, function (e) {
        if (!st.lastError) st.failedSince = Date.now();
        st.failures++;
        st.lastError = safe(e && e.name === 'AbortError' ? 'timed out' : (e && e.message) || 'error');
        if (st.data) render(st.data);
        else {
          document.getElementById('summary').replaceChildren(el('p', 'headline unknown', 'Cannot reach the watch server: the state is unknown.'));
          document.getElementById('cycle').textContent = 'Error: ' + st.lastError;
        }
      })
      .then(function () {
        clearTimeout(timer);
        setTimeout(poll, refreshMs);
      });
  }
  poll();
})();
