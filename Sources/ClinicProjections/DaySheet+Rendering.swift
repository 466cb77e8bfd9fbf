import ClinicEvents
import RecordLog

/// Turns days since 1970-01-01 and cents into the text the renderings use.
enum LedgerText {
    /// `YYYY-MM-DD` for a day since 1970-01-01 (proleptic Gregorian calendar).
    static func date(daysSince1970 days: Int64) -> String {
        let (year, month, day) = CivilDays.date(ofDay: days)
        func padded(_ value: Int64, _ width: Int) -> String {
            let text = String(abs(value))
            return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
    }

    /// Cents as a decimal amount with two digits after the point, `-` for negatives: `-12.05`.
    static func money(_ cents: Int64) -> String {
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return (cents < 0 ? "-" : "") + String(magnitude / 100) + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// A JSON string literal.
    static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A CSV field: quoted (RFC 4180) when it holds a comma, a quote or a line break.
    static func csv(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The method names in code order: `cash`, `card`, `check`, `eft`, `other`.
    static let methodNames = ["cash", "card", "check", "eft", "other"]
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

extension DaySheet {
    /// The column names of `tableRows()` and `csv()`.
    public static let summaryColumns = [
        "section", "key", "opening", "charges", "charge_voids", "patient_payments", "insurance_payments",
        "payment_voids", "adjustments", "refunds", "net_change", "closing", "applied", "net_cash", "net_card",
        "net_check", "net_eft", "net_other",
    ]

    /// The column names of `postingRows()` and `postingsCSV()`.
    public static let postingColumns = [
        "position", "patient_id", "kind", "amount", "method", "payer", "responsibility", "provider", "staff",
        "effective_date", "posted_date", "late",
    ]

    private static func summaryRow(section: String, key: String, opening: Int64, figures: DayFigures) -> [String] {
        let money = LedgerText.money
        let net = (0..<5).map {
            figures.paymentsByMethodCents[$0] - figures.paymentVoidsByMethodCents[$0] - figures.refundsByMethodCents[$0]
        }
        return [
            section, key, money(opening), money(figures.chargesCents), money(figures.chargeVoidsCents),
            money(figures.patientPaymentsCents), money(figures.insurancePaymentsCents),
            money(figures.paymentVoidsCents),
            money(figures.adjustmentsCents), money(figures.refundsCents), money(figures.netChangeCents),
            money(opening + figures.netChangeCents), money(figures.appliedCents),
        ] + net.map(money)
    }

    /// The summary as rows of text, the header first: one `office` row, then a `provider` row per provider (key
    /// `(none)` for postings without one) and a `staff` row per staff member, each in key order. Amounts are
    /// decimal with two digits; `net_<method>` is payments − payment voids − refunds by that method.
    public func tableRows() -> [[String]] {
        [Self.summaryColumns]
            + [Self.summaryRow(section: "office", key: "", opening: openingBalanceCents, figures: office)]
            + byProvider.map {
                Self.summaryRow(
                    section: "provider", key: $0.key.isEmpty ? "(none)" : $0.key, opening: $0.openingBalanceCents,
                    figures: $0.figures)
            }
            + byStaff.map {
                Self.summaryRow(section: "staff", key: $0.key, opening: $0.openingBalanceCents, figures: $0.figures)
            }
    }

    /// The postings as rows of text, the header first, in log order.
    public func postingRows() -> [[String]] {
        [Self.postingColumns]
            + lines.map { line in
                let entry = line.entry
                var method = ""
                var payer = ""
                var responsibility = ""
                switch entry.kind {
                case .payment(_, let paying, let paid, _), .paymentVoid(_, let paying, let paid, _):
                    method = LedgerText.methodNames[Int(paid.rawValue) - 1]
                    payer = Self.payerText(paying)
                case .refund(_, let paid, _): method = LedgerText.methodNames[Int(paid.rawValue) - 1]
                case .application(_, _, let settled, _, _), .adjustment(_, _, let settled, _, _):
                    responsibility = settled.description
                case .transfer(_, let from, let to, _): responsibility = from.description + ">" + to.description
                case .charge, .chargeVoid: break
                }
                return [
                    String(entry.position), line.patientID.description, entry.kind.name,
                    LedgerText.money(entry.kind.amountCents), method, payer, responsibility,
                    line.providerStaffID?.value ?? "", entry.staffID.value,
                    LedgerText.date(daysSince1970: entry.effectiveDaysSince1970),
                    LedgerText.date(daysSince1970: entry.postedDaysSince1970), entry.isLateEntry ? "yes" : "no",
                ]
            }
    }

    private static func payerText(_ payer: Payer) -> String {
        switch payer {
        case .patient: "patient"
        case .insurance(let payerID, let level): "insurance\(level):\(payerID)"
        }
    }

    private static func csv(_ rows: [[String]]) -> String {
        rows.map { $0.map(LedgerText.csv).joined(separator: ",") + "\n" }.joined()
    }

    /// The summary rows (`tableRows()`) as CSV: comma-separated, RFC 4180 quoting, one `\n` after every row.
    public func csv() -> String { Self.csv(tableRows()) }

    /// The posting rows (`postingRows()`) as CSV, in the same dialect.
    public func postingsCSV() -> String { Self.csv(postingRows()) }

    private static func json(_ figures: DayFigures) -> String {
        func byMethod(_ cents: [Int64]) -> String {
            "{" + zip(LedgerText.methodNames, cents).map { "\"\($0)\":\($1)" }.joined(separator: ",") + "}"
        }
        let fields: [(String, String)] = [
            ("chargesCents", String(figures.chargesCents)), ("chargeVoidsCents", String(figures.chargeVoidsCents)),
            ("patientPaymentsCents", String(figures.patientPaymentsCents)),
            ("insurancePaymentsCents", String(figures.insurancePaymentsCents)),
            ("paymentVoidsCents", String(figures.paymentVoidsCents)),
            ("adjustmentsCents", String(figures.adjustmentsCents)), ("refundsCents", String(figures.refundsCents)),
            ("appliedCents", String(figures.appliedCents)),
            ("transfersToInsuranceCents", String(figures.transfersToInsuranceCents)),
            ("transfersToPatientCents", String(figures.transfersToPatientCents)),
            ("transfersBetweenInsurancesCents", String(figures.transfersBetweenInsurancesCents)),
            ("paymentsByMethodCents", byMethod(figures.paymentsByMethodCents)),
            ("refundsByMethodCents", byMethod(figures.refundsByMethodCents)),
            ("paymentVoidsByMethodCents", byMethod(figures.paymentVoidsByMethodCents)),
            ("netChangeCents", String(figures.netChangeCents)), ("postingCount", String(figures.postingCount)),
        ]
        return "{" + fields.map { "\"\($0)\":\($1)" }.joined(separator: ",") + "}"
    }

    private static func json(_ group: Group, keyName: String) -> String {
        "{\"\(keyName)\":\(LedgerText.json(group.key)),\"openingBalanceCents\":\(group.openingBalanceCents),"
            + "\"closingBalanceCents\":\(group.closingBalanceCents),\"figures\":\(json(group.figures))}"
    }

    /// The whole sheet as one line of JSON with a fixed key order (documented in `docs/projections.md`); amounts are
    /// integer cents.
    public func json() -> String {
        let closed = closedTotals.map { totals in
            "{\"chargesCents\":\(totals.charges.cents),\"paymentsCents\":\(totals.payments.cents),"
                + "\"adjustmentsCents\":\(totals.adjustments.cents),\"refundsCents\":\(totals.refunds.cents),"
                + "\"chargeVoidsCents\":\(totals.chargeVoids.cents),\"paymentVoidsCents\":\(totals.paymentVoids.cents)}"
        }
        let postings = postingRows().dropFirst().map { row in
            "{"
                + zip(Self.postingColumns, row).map { "\(LedgerText.json($0)):\(LedgerText.json($1))" }
                .joined(separator: ",") + "}"
        }
        let fields: [(String, String)] = [
            ("date", LedgerText.json(LedgerText.date(daysSince1970: daysSince1970))),
            ("daysSince1970", String(daysSince1970)), ("closed", isClosed ? "true" : "false"),
            ("matchesClosedTotals", matchesClosedTotals.map { $0 ? "true" : "false" } ?? "null"),
            ("reconciles", reconciles ? "true" : "false"),
            ("openingBalanceCents", String(openingBalanceCents)), ("closingBalanceCents", String(closingBalanceCents)),
            ("office", Self.json(office)),
            ("byProvider", "[" + byProvider.map { Self.json($0, keyName: "provider") }.joined(separator: ",") + "]"),
            ("byStaff", "[" + byStaff.map { Self.json($0, keyName: "staff") }.joined(separator: ",") + "]"),
            ("closedTotals", closed ?? "null"), ("postings", "[" + postings.joined(separator: ",") + "]"),
        ]
        return "{" + fields.map { "\"\($0)\":\($1)" }.joined(separator: ",") + "}"
    }
}
