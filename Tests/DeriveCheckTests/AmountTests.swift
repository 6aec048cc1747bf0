import Foundation
import Model
import Testing
import TestSite

@Suite struct AmountTests {
    @Test func parsesAsWrittenAndKeepsScale() throws {
        let a = try Amount.parse("0.50").get()
        #expect(a.description == "0.50")
        #expect(try Amount.parse("55.5673").get().description == "55.5673")
        #expect(try Amount.parse("-3.2").get().description == "-3.2")
        #expect(try Amount.parse("64.573").get().units == 645_730)
    }

    @Test func rejectsWhatEditorsMistype() {
        #expect(Amount.parse("1,234.56") == .failure(.thousandsSeparator))
        #expect(Amount.parse("５５.５７") == .failure(.fullWidthDigits))
        #expect(Amount.parse("55.57万元") == .failure(.notANumber))
        #expect(Amount.parse("1.23456") == .failure(.tooManyDecimals(5)))
        #expect(Amount.parse("99999999999999999999") == .failure(.tooLarge))
        #expect(Amount.parse("1e5") == .failure(.notANumber))
        #expect(Amount.parse("") == .failure(.empty))
    }

    @Test func sumsExactly() throws {
        // 0.1 + 0.2 is 0.3 exactly, unlike binary floating point.
        let s = [try Amount.parse("0.1").get(), try Amount.parse("0.2").get()].sum()!
        #expect(s == (try Amount.parse("0.3").get()))
        let many = Array(repeating: try Amount.parse("0.01").get(), count: 10_000).sum()!
        #expect(many.description == "100.00")
    }

    @Test func percentRoundsHalfAwayFromZero() throws {
        let basic = try Amount.parse("0.50").get(), total = try Amount.parse("55.57").get()
        #expect(basic.percent(of: total)!.description == "0.90")   // 0.8998…
        #expect(try Amount.parse("1").get().percent(of: Amount.parse("8").get())!.description == "12.50")
        #expect(try Amount.parse("1").get().percent(of: Amount.parse("3").get())!.description == "33.33")
        #expect(try Amount.parse("2").get().percent(of: Amount.parse("3").get())!.description == "66.67")
        #expect(basic.percent(of: .zero) == nil)
    }

    @Test func formatsWithFixedDecimals() throws {
        #expect(try Amount.parse("0.5").get().formatted(decimals: 2) == "0.50")
        #expect(try Amount.parse("55.5673").get().formatted(decimals: 2) == "55.57")
        #expect(try Amount.parse("-0.005").get().formatted(decimals: 2) == "-0.01")
        #expect(try Amount.parse("7").get().formatted(decimals: 0) == "7")
    }

    /// The compact forms (an amount's scale in a byte, a location's file by number) write and read
    /// the same JSON as before (the state file keeps findings with their amounts and places).
    @Test func compactFormsKeepTheirJSON() throws {
        let amount = try Amount.parse("-12.5").get()
        let json = String(decoding: try JSONEncoder.sorted.encode(amount), as: UTF8.self)
        #expect(json == #"{"scale":1,"units":-125000}"#)
        #expect(try JSONDecoder().decode(Amount.self, from: Data(json.utf8)) == amount)

        let at = Model.SourceLocation(file: "departments/财政局/2023/disclosure.yaml", line: 12, column: 7)
        let text = String(decoding: try JSONEncoder.sorted.encode(at), as: UTF8.self)
        #expect(text == #"{"column":7,"file":"departments\/财政局\/2023\/disclosure.yaml","line":12}"#)
        let back = try JSONDecoder().decode(Model.SourceLocation.self, from: Data(text.utf8))
        #expect(back == at && back.file == at.file && back.description == "departments/财政局/2023/disclosure.yaml:12")
        // The same name is the same file, whoever spelt it; another name is another file.
        var moved = at
        moved.file = "departments/财政局/2023/" + "disclosure.yaml"
        #expect(moved == at && moved.hashValue == at.hashValue)
        moved.file = "departments/财政局/2022/disclosure.yaml"
        #expect(moved != at && moved < at && moved.file.hasSuffix("2022/disclosure.yaml"))
    }
}

private extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return e
    }
}
