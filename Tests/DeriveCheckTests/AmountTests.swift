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
}
