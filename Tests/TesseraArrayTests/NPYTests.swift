import Foundation
import Testing
import Tessera
@testable import TesseraArray

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

/// The formula `npy_fixtures.py` uses for every fixture (flat index `i`).
func fixtureValues<T: ArrayScalar>(_ type: T.Type, _ n: Int) -> [T] {
    (0..<n).map { i in
        switch T.dtype {
        case .float64, .float32: return T(_double: Double(i) * 0.5 - 3)
        case .int64, .int32: return T(_int64: Int64(i * 7 - 20))
        case .bool: return T(_int64: i % 3 == 0 ? 1 : 0)
        }
    }
}

func temporaryDirectory() throws -> String {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-npy-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
}

@Suite struct NPYTests {
    @Test func readsNumPyFixtures() throws {
        func check<T: ArrayScalar>(_ name: String, _ type: T.Type, _ shape: [Int]) throws {
            let a = try NDArray<T>.readNPY(fixture(name))
            #expect(a.shape == shape, "\(name)")
            #expect(a.scalars == fixtureValues(T.self, shape.reduce(1, *)), "\(name)")
            // The lazy reader, cut into small blocks, gives the same array.
            let c = try ChunkedArray<T>.fromNPY(fixture(name), chunks: .blockShape(shape.map { _ in 2 }))
            #expect(try c.compute(scheduler: .threads(2)) == a, "\(name)")
        }
        try check("f8_2d_v1.npy", Double.self, [3, 4])
        try check("f8_2d_v2.npy", Double.self, [4, 3])
        try check("f4_1d_v1.npy", Float.self, [5])
        try check("i8_3d_v2.npy", Int64.self, [2, 3, 2])
        try check("i4_0d_v1.npy", Int32.self, [])
        try check("b1_1d_v1.npy", Bool.self, [7])
        try check("f8_empty_v1.npy", Double.self, [0, 3])
        let stack = try ChunkedArray<Double>.fromNPYStack(fixture("stack_f8"))
        #expect(stack.chunks == [[2, 2, 1], [2]])
        #expect(try stack.compute().scalars == fixtureValues(Double.self, 10))
    }

    @Test func refusesWhatItCannotReadWithClearErrors() throws {
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch { return "\(error)" }
        }
        #expect(message { _ = try NDArray<Double>.readNPY(fixture("bad_bigendian.npy")) }.contains("big-endian"))
        #expect(message { _ = try NDArray<Double>.readNPY(fixture("bad_fortran.npy")) }.contains("Fortran"))
        #expect(message { _ = try NDArray<Double>.readNPY(fixture("bad_complex.npy")) }.contains("'<c16'"))
        #expect(message { _ = try NDArray<Int64>.readNPY(fixture("f8_2d_v1.npy")) }.contains("cannot be read as int64"))
        #expect(message { _ = try NDArray<Double>.readNPY(fixture("missing.npy")) }.contains("missing.npy"))
        #expect(message { _ = try NDArray<Double>.readNPY(fixture("npy_fixtures.py")) }.contains("bad magic"))
        #expect(message { _ = try ChunkedArray<Double>.fromNPYStack(fixtures.path) }.contains("info.json"))
        #expect(message { _ = try ChunkedArray<Int32>.fromNPYStack(fixture("stack_f8")) }.contains("dtype"))
    }

    @Test func writesFilesNumPyReadsBack() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func out(_ n: String) -> String { (dir as NSString).appendingPathComponent(n) }
        try NDArray(shape: [3, 4], scalars: fixtureValues(Double.self, 12)).writeNPY(out("out_f8.npy"))
        try NDArray(fixtureValues(Float.self, 5)).writeNPY(out("out_f4.npy"))
        try ChunkedArray(fixtureValues(Int64.self, 12), shape: [2, 3, 2], chunks: [1, 2, 1]).writeNPY(out("out_i8.npy"))
        try NDArray(scalar: fixtureValues(Int32.self, 1)[0]).writeNPY(out("out_i4.npy"))
        try NDArray(fixtureValues(Bool.self, 7)).writeNPY(out("out_b1.npy"))
        try NDArray<Double>(shape: [0, 3], repeating: 0).writeNPY(out("out_empty.npy"))
        let stack = try ChunkedArray(fixtureValues(Double.self, 10), shape: [5, 2], chunks: [2, 1])
        try stack.toNPYStack(out("out_stack"), axis: 0, scheduler: .threads(2))
        // Our own reader round-trips everything, and no temporary files are left behind.
        #expect(try NDArray<Double>.readNPY(out("out_f8.npy")).scalars == fixtureValues(Double.self, 12))
        #expect(try NDArray<Bool>.readNPY(out("out_b1.npy")).scalars == fixtureValues(Bool.self, 7))
        #expect(try ChunkedArray<Double>.fromNPYStack(out("out_stack")).compute().scalars == fixtureValues(Double.self, 10))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).allSatisfy { !$0.contains(".tmp-") })
        // NumPy reads them back (python3 with numpy is on every development machine and in CI).
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", fixture("npy_fixtures.py"), "check", dir]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 0, "numpy check: \(text)")
        #expect(text.contains("OK"))
    }

    @Test func failedWriteLeavesNoFile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let missing = (dir as NSString).appendingPathComponent("no/such/dir/x.npy")
        #expect(throws: ArrayError.self) { try NDArray<Double>([1, 2]).writeNPY(missing) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }
}
