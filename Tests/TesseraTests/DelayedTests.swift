import Foundation
import Testing
@testable import Tessera

struct Boom: Error, CustomStringConvertible {
    let n: Int
    var description: String { "boom \(n)" }
}

let schedulers: [Scheduler] = [.synchronous, .threads(1), .threads(2), .threads(4)]

@Suite struct DelayedTests {
    class Animal: @unchecked Sendable { var sound: String { "..." } }
    final class Dog: Animal, @unchecked Sendable { override var sound: String { "woof" } }

    /// Inputs whose dynamic type is not exactly the parameter's (an existential, a superclass,
    /// `any Sendable`, an optional) take the general cast, not the exact-type shortcut.
    @Test(arguments: schedulers)
    func inputsOfAnotherStaticTypeAreCast(scheduler: Scheduler) throws {
        let describe = delayed(name: "describe") { (x: any CustomStringConvertible & Sendable) in x.description }
        let speak = delayed(name: "speak") { (a: Animal) in a.sound }
        let any = delayed(name: "any") { (x: any Sendable) in "\(type(of: x))" }
        let unwrap = delayed(name: "unwrap") { (x: Int?) in x ?? -1 }
        let dog = Delayed<Animal>(ref: Delayed(Dog()).ref)
        #expect(try describe(Delayed<any CustomStringConvertible & Sendable>(ref: Delayed(42).ref)).compute(scheduler: scheduler) == "42")
        #expect(try speak(dog).compute(scheduler: scheduler) == "woof")
        #expect(try any(Delayed<any Sendable>(ref: Delayed(3.5).ref)).compute(scheduler: scheduler) == "Double")
        #expect(try unwrap(Delayed<Int?>(nil)).compute(scheduler: scheduler) == -1)
        #expect(try unwrap(Delayed<Int?>(7)).compute(scheduler: scheduler) == 7)
        let plus = Delayed(40) + Delayed(2)
        #expect(try (plus * Delayed(2)).compute(scheduler: scheduler) == 84)
    }

    @Test(arguments: schedulers)
    func incAdd(scheduler: Scheduler) throws {
        let inc = delayed(name: "inc") { (x: Int) in x + 1 }
        let add = delayed(name: "add") { (a: Int, b: Int) in a + b }
        let total = add(inc(Delayed(1)), inc(Delayed(2)))
        #expect(try total.compute(scheduler: scheduler) == 5)
        #expect(total.key.name.hasPrefix("add-"))
    }

    @Test func keysAreReadable() {
        let inc = delayed(name: "inc") { (x: Int) in x + 1 }
        let y = inc(Delayed(1))
        #expect(y.key.description.hasPrefix("inc-"))
        let named = delayed(key: "my-key", { (x: Int) in x * 2 }, y)
        #expect(named.key.description == "my-key")
    }

    @Test(arguments: schedulers)
    func operators(scheduler: Scheduler) throws {
        let a = Delayed(6), b = Delayed(4)
        let x: Int = 3
        #expect(try (a + b).compute(scheduler: scheduler) == 10)
        #expect(try (a - b * 2).compute(scheduler: scheduler) == -2)
        #expect(try (a / b).compute(scheduler: scheduler) == 1)
        #expect(try (a % b).compute(scheduler: scheduler) == 2)
        #expect(try (a + x).compute(scheduler: scheduler) == 9)
        #expect(try (x * a).compute(scheduler: scheduler) == 18)
        #expect(try (-a).compute(scheduler: scheduler) == -6)
        #expect(try (a > b).compute(scheduler: scheduler) == true)
        #expect(try (a == b).compute(scheduler: scheduler) == false)
        #expect(try ((a >= b) && !(a < b)).compute(scheduler: scheduler) == true)
        let f = Delayed(1.5)
        #expect(try (f / 2.0).compute(scheduler: scheduler) == 0.75)
    }

    @Test func mapAndMemberAccess() throws {
        let words = Delayed(["a", "bb", "ccc"])
        #expect(try words.count.compute() == 3)
        #expect(try words.map { $0.joined() }.compute() == "abbccc")
    }

    @Test(arguments: schedulers)
    func sharedIntermediateRunsOnce(scheduler: Scheduler) throws {
        let calls = LockedBox(0)
        let expensive = delayed(name: "expensive") { (x: Int) -> Int in
            calls.withLock { $0 += 1 }
            return x * 10
        }
        let shared = expensive(Delayed(7))
        let a = shared + 1
        let b = shared * 2
        let c = shared.map { $0 - 1 }
        let (ra, rb, rc) = try compute(a, b, c, scheduler: scheduler)
        #expect(ra == 71 && rb == 140 && rc == 69)
        #expect(calls.withLock { $0 } == 1)
    }

    @Test func persistKeepsKeyAndValue() throws {
        let calls = LockedBox(0)
        let slow = delayed(name: "slow") { (x: Int) -> Int in calls.withLock { $0 += 1 }; return x }
        let p = try slow(Delayed(5)).persist()
        #expect(p.key.name.hasPrefix("slow-"))
        #expect(try (p + 1).compute() == 6)
        #expect(try (p + 2).compute() == 7)
        #expect(calls.withLock { $0 } == 1)
    }

    @Test(arguments: schedulers)
    func failureNamesKeyAndWrapsError(scheduler: Scheduler) throws {
        let bad = delayed(name: "explode") { (x: Int) throws -> Int in throw Boom(n: x) }
        let inc = delayed(name: "inc") { (x: Int) in x + 1 }
        let total = inc(bad(Delayed(3)))
        do {
            _ = try total.compute(scheduler: scheduler)
            Issue.record("expected a failure")
        } catch let failure as TaskFailure {
            #expect(failure.key.name.hasPrefix("explode-"))
            #expect((failure.underlying as? Boom)?.n == 3)
            #expect("\(failure)".contains("boom 3"))
        }
        // The pool serves the next compute normally.
        #expect(try inc(Delayed(41)).compute(scheduler: scheduler) == 42)
    }

    @Test func failureStopsNewWorkPromptly() throws {
        // The tenth task to start fails, whichever it is: the scheduler's order (a worker runs its
        // own queue last-in first-out, a thief takes the oldest) decides which task that is, and
        // on a starved machine a failing task 0 could come late; what must hold is that almost
        // nothing starts after the failure.
        let ran = LockedBox(0)
        let work = delayed(name: "work") { (i: Int) throws -> Int in
            if ran.withLock({ $0 += 1; return $0 }) == 10 { throw Boom(n: i) }
            usleep(2000)
            return i
        }
        let parts = (0..<2000).map { work(Delayed($0)) }
        let total = delayed(name: "sum", parts) { $0.reduce(0, +) }
        #expect(throws: TaskFailure.self) { try total.compute(scheduler: .threads(2)) }
        #expect(ran.withLock { $0 } < 200)
    }

    @Test func asyncCompute() async throws {
        let inc = delayed(name: "inc") { (x: Int) in x + 1 }
        let y = inc(Delayed(1)).map { $0 + 1 }
        let v = try await y.compute()
        #expect(v == 3)
        let (a, b) = try await compute(y, y + 10)
        #expect(a == 3 && b == 13)
    }

    @Test func asyncCancellation() async throws {
        let started = LockedBox(0)
        let slow = delayed(name: "slow") { (i: Int) -> Int in
            started.withLock { $0 += 1 }
            usleep(5000)
            return i
        }
        let parts = (0..<4000).map { slow(Delayed($0)) }
        let total = delayed(name: "sum", parts) { $0.reduce(0, +) }
        let task = Task { try await total.compute(scheduler: .threads(2)) }
        try await Task.sleep(nanoseconds: 30_000_000)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(started.withLock { $0 } < 4000)
    }
}

/// A collection whose joint plan reads its data once per compute session (as a frame's scan is),
/// counting the reads; alone, each `outputs` is a read of its own.
private struct CountedSource: Computable, Sendable {
    let reads: LockedBox<Int>
    final class Shared { let layer: Layer; init(_ layer: Layer) { self.layer = layer } }
    func read() -> Layer {
        Layer(kind: "read", count: 1) { [reads] _ in TaskSpec { _ in reads.withLock { $0 += 1 }; return 10 } }
    }
    var outputs: [TaskRef] { [read()[0]] }
    func assemble(_ values: ArraySlice<Any>) throws -> Int { values.first! as! Int }
    func outputs(in session: ComputeSession) -> [TaskRef] { [session.shared { Shared(read()) }.layer[0]] }
}

@Suite struct DelayedJointArityTests {
    /// The one- and two-argument `delayed` forms (which the compiler prefers to the variadic one)
    /// keep their inputs' joint-planning recipes: values reaching one source through separate
    /// `Delayed(output:of:)` share its read in a joint compute, as with the variadic form.
    @Test(arguments: schedulers)
    func fixedArityFormsPlanJointly(scheduler: Scheduler) throws {
        let reads = LockedBox(0)
        let source = CountedSource(reads: reads)
        let inc = delayed(name: "inc") { (x: Int) in x + 1 }
        let add = delayed(name: "add") { (a: Int, b: Int) in a + b }
        let three = delayed(name: "three") { (a: Int, b: Int, c: Int) in a + b + c }
        let first = Delayed<Int>(output: 0, of: source), second = Delayed<Int>(output: 0, of: source)
        let third = Delayed<Int>(output: 0, of: source)
        let (x, y, z) = try compute(inc(first), add(Delayed(5), second), three(third, Delayed(1), Delayed(2)), scheduler: scheduler)
        #expect(x == 11 && y == 15 && z == 13)
        #expect(reads.withLock { $0 } == 1)
        // Without a joint input nothing is recorded, and the values still compute.
        #expect(add(Delayed(1), Delayed(2)).joint == nil && inc(Delayed(1)).joint == nil)
        #expect(try add(Delayed(1), Delayed(2)).compute(scheduler: scheduler) == 3)
    }
}
