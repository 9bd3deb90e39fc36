import Testing
@testable import SkiffProcess

@Suite struct ChildProgramTests {
    @Test func inputLargerThanAPipeBufferComesBackWhole() async throws {
        // 1 MiB: sixteen pipe buffers, so writing and reading must interleave.
        let input = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let outcome = try await ChildProgram.run(["/bin/cat"], input: input)
        #expect(outcome.status == 0)
        #expect(outcome.output == input)
        #expect(outcome.errorOutput.isEmpty)
    }

    @Test func exitStatusAndBothStreamsAreKeptApart() throws {
        let outcome = try ChildProgram.run(["/bin/sh", "-c", "echo out; echo err >&2; exit 3"])
        #expect(outcome.status == 3)
        #expect(outcome.outputText == "out\n")
        #expect(outcome.errorText == "err\n")
        #expect(!outcome.succeeded)
    }

    @Test func aSignalledProgramReports128PlusTheSignal() throws {
        let outcome = try ChildProgram.run(["/bin/sh", "-c", "kill -TERM $$"])
        #expect(outcome.status == 128 + 15)
    }

    @Test func withoutInputTheProgramReadsEndOfFile() throws {
        let outcome = try ChildProgram.run(["/bin/sh", "-c", "cat; echo done"])
        #expect(outcome.outputText == "done\n")
    }

    @Test func aProgramThatStopsReadingEarlyDoesNotEndTheCaller() async throws {
        // head exits after one byte; the rest of the write meets a closed pipe (EPIPE).
        let outcome = try await ChildProgram.run(["/usr/bin/head", "-c", "1"], input: Array(repeating: 65, count: 4 << 20))
        #expect(outcome.status == 0)
        #expect(outcome.outputText == "A")
    }

    @Test func aMissingProgramIsAStartFailureNamingIt() async {
        await #expect {
            try await ChildProgram.run(["/nonexistent/iptables-restore"])
        } throws: { error in
            "\(error)".contains("/nonexistent/iptables-restore") && "\(error)".contains("No such file")
        }
    }

    @Test func theChildStartsWithNoSignalsBlocked() throws {
        // SigBlk in the child's status: all zeros even though the caller blocks SIGPIPE.
        let outcome = try ChildProgram.run(["/bin/sh", "-c", "grep SigBlk /proc/self/status"])
        #expect(outcome.outputText.hasSuffix("0000000000000000\n"))
    }

    @Test func programsAreFoundOnPathOrInTheSystemDirectories() {
        // ip lives in /usr/sbin, which a plain user's PATH often lacks.
        #expect(ChildProgram.find("ip")?.hasSuffix("/ip") == true)
        #expect(ChildProgram.find("sh").map { $0.hasPrefix("/") } == true)
        #expect(ChildProgram.find("no-such-program-skiff") == nil)
    }
}
