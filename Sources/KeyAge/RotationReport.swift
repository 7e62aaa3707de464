/// `keywarden keys report`: one self-contained HTML page with a timeline of every key — created, last
/// rotated, due, overdue — grouped by environment and owner.
///
/// No script, no stylesheet or font from elsewhere, no image: inline CSS and inline SVG only, so the page
/// makes no request. Colours are the Okabe–Ito palette (distinguishable with the common colour-vision
/// deficiencies), and every status is also a word and every date a distinct shape, so nothing depends on
/// colour alone. A print stylesheet keeps it readable on paper.
public struct RotationReport: Sendable {
    /// Width of a timeline in CSS pixels.
    public static let timelineWidth = 640
    /// Pixels from the left edge of a timeline to its first day.
    public static let inset = 8

    public let html: String
    /// The first and last day of the common time axis.
    public let start: CalendarDate
    public let end: CalendarDate

    public init(ledger: KeyLedger, today: CalendarDate, title: String = "Key rotations") {
        let statuses = KeyStatus.all(in: ledger, today: today)
        var first = today, last = today
        for s in statuses {
            first = min(first, s.key.created)
            last = max(last, s.due)
        }
        start = first.adding(days: -7)
        end = last.adding(days: 14)
        html = Self.render(statuses, today: today, title: title, start: start, end: end)
    }

    /// The x position of `date` on a timeline from `start` to `end` (one decimal, in CSS pixels).
    public static func x(_ date: CalendarDate, start: CalendarDate, end: CalendarDate) -> Double {
        let span = max(1, start.days(until: end))
        let raw = Double(inset) + Double(start.days(until: date)) * Double(timelineWidth - 2 * inset) / Double(span)
        return (raw * 10).rounded() / 10
    }

    private static func render(_ statuses: [KeyStatus], today: CalendarDate, title: String, start: CalendarDate, end: CalendarDate) -> String {
        func x(_ d: CalendarDate) -> String { format(Self.x(d, start: start, end: end)) }
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <title>\(escape(title)) — \(today)</title>
            <style>
            \(css)
            </style>
            </head>
            <body>
            <h1>\(escape(title))</h1>
            <p class="asof">As of \(today). Every key of the ledger, by environment and owner; a key is due on its last rotation plus its interval.</p>

            """
        out += legend
        let counts = Dictionary(grouping: statuses, by: \.level).mapValues(\.count)
        let summary = [KeyStatus.Level.leaked, .overdue, .due, .dueSoon, .ok, .revoked].compactMap { level in
            counts[level].map { "\($0) \(level.rawValue)" }
        }
        out += "<p class=\"summary\">\(statuses.count) key\(statuses.count == 1 ? "" : "s"): \(escape(summary.joined(separator: ", ")))</p>\n"
        if statuses.isEmpty { out += "<p>No keys in the ledger.</p>\n" }
        out += "<main id=\"timeline\" data-start=\"\(start)\" data-end=\"\(end)\" data-today=\"\(today)\" "
            + "data-width=\"\(timelineWidth)\" data-inset=\"\(inset)\">\n"
        let environments = Array(Set(statuses.map(\.key.environment))).sorted()
        for environment in environments {
            out += "<section class=\"environment\" data-environment=\"\(escape(environment))\">\n"
            out += "<h2>Environment: \(escape(environment))</h2>\n"
            let inEnvironment = statuses.filter { $0.key.environment == environment }
            let owners = Array(Set(inEnvironment.map { $0.key.owner ?? "" })).sorted()
            for owner in owners {
                out += "<h3>Owner: \(owner.isEmpty ? "(none)" : escape(owner))</h3>\n"
                out += "<table>\n<thead><tr><th scope=\"col\">Key</th><th scope=\"col\">Status</th><th scope=\"col\">Created</th>"
                    + "<th scope=\"col\">Last rotated</th><th scope=\"col\">Due</th><th scope=\"col\">Timeline</th></tr></thead>\n<tbody>\n"
                for s in inEnvironment where (s.key.owner ?? "") == owner {
                    out += row(s, today: today, x: x)
                }
                out += "</tbody>\n</table>\n"
            }
            out += "</section>\n"
        }
        out += "</main>\n<p class=\"foot\">Written by keywarden keys report. The ledger holds fingerprints and dates, never a key.</p>\n"
        out += "</body>\n</html>\n"
        return out
    }

    private static func row(_ s: KeyStatus, today: CalendarDate, x: (CalendarDate) -> String) -> String {
        let k = s.key
        let level = s.level.rawValue.replacingOccurrences(of: " ", with: "-")
        var out = "<tr class=\"key status-\(level)\" data-key-id=\"\(escape(k.id))\" data-status=\"\(escape(s.level.rawValue))\" "
            + "data-created=\"\(k.created)\" data-last-rotated=\"\(k.lastRotated)\" data-due=\"\(s.due)\">\n"
        out += "<th scope=\"row\">\(escape(k.id))<br><span class=\"provider\">\(escape(k.provider))</span></th>\n"
        out += "<td><span class=\"badge \(level)\">\(escape(s.level.rawValue))</span><br><span class=\"message\">\(escape(s.message))</span></td>\n"
        out += "<td>\(k.created)</td><td>\(k.lastRotated)</td><td>\(s.due)</td>\n"
        let height = 28, mid = 14
        let label = "\(k.id): created \(k.created), last rotated \(k.lastRotated), due \(s.due), \(s.level.rawValue)"
        out += "<td><svg class=\"timeline\" width=\"\(timelineWidth)\" height=\"\(height)\" viewBox=\"0 0 \(timelineWidth) \(height)\" "
            + "role=\"img\" aria-label=\"\(escape(label))\">\n"
        // The key's life: created to due; past the due date, an overdue stretch up to today.
        out += "<line class=\"life\" x1=\"\(x(k.created))\" y1=\"\(mid)\" x2=\"\(x(s.due))\" y2=\"\(mid)\"/>\n"
        if s.level != .revoked, s.due < today {
            out += "<line class=\"overdue-span\" x1=\"\(x(s.due))\" y1=\"\(mid)\" x2=\"\(x(today))\" y2=\"\(mid)\"/>\n"
        }
        out += "<line class=\"today\" x1=\"\(x(today))\" y1=\"2\" x2=\"\(x(today))\" y2=\"\(height - 2)\"><title>today \(today)</title></line>\n"
        out += "<circle class=\"marker created\" data-date=\"\(k.created)\" cx=\"\(x(k.created))\" cy=\"\(mid)\" r=\"5\">"
            + "<title>created \(k.created)</title></circle>\n"
        let rotatedX = x(k.lastRotated)
        out += "<rect class=\"marker rotated\" data-date=\"\(k.lastRotated)\" data-x=\"\(rotatedX)\" x=\"\(offset(rotatedX, -4.5))\" "
            + "y=\"\(mid - 5)\" width=\"9\" height=\"9\" transform=\"rotate(0)\"><title>last rotated \(k.lastRotated)</title></rect>\n"
        let dueX = x(s.due)
        out += "<polygon class=\"marker due \(level)\" data-date=\"\(s.due)\" data-x=\"\(dueX)\" "
            + "points=\"\(dueX),\(mid - 7) \(offset(dueX, 7)),\(mid) \(dueX),\(mid + 7) \(offset(dueX, -7)),\(mid)\">"
            + "<title>due \(s.due) (\(escape(s.level.rawValue)))</title></polygon>\n"
        out += "</svg></td>\n</tr>\n"
        return out
    }

    /// The legend: each shape and each status with its word.
    private static let legend = """
        <div class="legend" aria-label="Legend">
        <span><svg width="14" height="14" aria-hidden="true"><circle class="marker created" cx="7" cy="7" r="5"/></svg> created</span>
        <span><svg width="14" height="14" aria-hidden="true"><rect class="marker rotated" x="2.5" y="2.5" width="9" height="9"/></svg> last rotated</span>
        <span><svg width="16" height="16" aria-hidden="true"><polygon class="marker due ok" points="8,1 15,8 8,15 1,8"/></svg> due</span>
        <span><svg width="14" height="14" aria-hidden="true"><line class="today" x1="7" y1="0" x2="7" y2="14"/></svg> today</span>
        <span><svg width="24" height="14" aria-hidden="true"><line class="overdue-span" x1="0" y1="7" x2="24" y2="7"/></svg> overdue</span>
        <span class="badge ok">ok</span> <span class="badge due-soon">due soon</span> <span class="badge due">due</span>
        <span class="badge overdue">overdue</span> <span class="badge leaked">leaked</span> <span class="badge revoked">revoked</span>
        </div>

        """

    /// Okabe–Ito colours; statuses also differ by word, and the overdue stretch by its dash pattern.
    private static let css = """
        :root { --ok: #009E73; --soon: #E69F00; --late: #D55E00; --leaked: #CC79A7; --revoked: #999999; --rotated: #0072B2; --ink: #111; }
        body { font: 14px/1.4 system-ui, sans-serif; color: var(--ink); background: #fff; margin: 1.5rem; }
        h1 { font-size: 1.5rem; margin: 0 0 .25rem; } h2 { font-size: 1.2rem; margin: 1.5rem 0 .25rem; border-bottom: 2px solid var(--ink); }
        h3 { font-size: 1rem; margin: .75rem 0 .25rem; }
        table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: middle; padding: .25rem .5rem; border-bottom: 1px solid #ccc; }
        th[scope=row] { font-weight: 600; } .provider, .message { color: #444; font-weight: normal; font-size: .85em; }
        .badge { display: inline-block; padding: 0 .4em; border: 2px solid; border-radius: .3em; font-weight: 600; }
        .badge.ok { border-color: var(--ok); } .badge.due-soon, .badge.due { border-color: var(--soon); border-style: dashed; }
        .badge.overdue { border-color: var(--late); background: #fbe3d6; } .badge.leaked { border-color: var(--leaked); background: #f5e1ec; }
        .badge.revoked { border-color: var(--revoked); color: #555; }
        .legend span { margin-right: 1rem; white-space: nowrap; } .legend svg { vertical-align: middle; }
        svg.timeline { display: block; } .life { stroke: #555; stroke-width: 3; }
        .overdue-span { stroke: var(--late); stroke-width: 4; stroke-dasharray: 6 3; }
        .today { stroke: var(--ink); stroke-width: 1.5; stroke-dasharray: 2 2; }
        .marker.created { fill: #fff; stroke: var(--ink); stroke-width: 2; } .marker.rotated { fill: var(--rotated); stroke: var(--ink); }
        .marker.due { stroke: var(--ink); stroke-width: 1.5; fill: var(--ok); } .marker.due.due-soon, .marker.due.due { fill: var(--soon); }
        .marker.due.overdue { fill: var(--late); } .marker.due.leaked { fill: var(--leaked); } .marker.due.revoked { fill: var(--revoked); }
        .asof, .summary, .foot { color: #333; }
        @media print {
          body { margin: 0; font-size: 11pt; } * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          section.environment { break-inside: avoid-page; } tr { break-inside: avoid; } h2 { break-after: avoid; }
          .foot { font-size: 9pt; }
        }
        """

    private static func format(_ v: Double) -> String {
        let s = String(v)
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }

    private static func offset(_ text: String, _ delta: Double) -> String {
        format((((Double(text) ?? 0) + delta) * 10).rounded() / 10)
    }

    /// HTML text and attribute escaping.
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
