import Testing
@testable import TesseraFrame

@Test func columnBasics() throws {
    let c = Column(float64: [1.5, nil, -3])
    #expect(c.count == 3)
    #expect(c.nullCount == 1)
    #expect(c[1] == .missing)
    #expect(c[2] == .float64(-3))
}
