import Testing

@testable import SkiffRuntime

@Suite struct CgroupLimitsTests {
    @Test(
        arguments: [
            (nil, 2, 1), (0, 2, 1), (1, 2, 1), (100, 102, 4), (250, 256, 10), (1000, 1024, 39),
            (4000, 4096, 157), (256_000, 262_144, 10_000), (1_000_000, 262_144, 10_000),
        ] as [(Int?, Int, Int)])
    func cpuRequestsBecomeSharesAndWeightsAsUpstream(milli: Int?, shares: Int, weight: Int) {
        let limits = CgroupLimits(cpuRequestMillicores: milli)
        #expect(limits.cpuShares == shares)
        #expect(limits.cpuWeight == weight)
    }

    @Test(arguments: [(nil, nil), (1, 1000), (5, 1000), (10, 1000), (250, 25_000), (1500, 150_000)] as [(Int?, Int?)])
    func cpuLimitsBecomeQuotasPerHundredMillisecondPeriod(milli: Int?, quota: Int?) {
        #expect(CgroupLimits(cpuLimitMillicores: milli).cpuQuotaMicroseconds == quota)
    }

    @Test(arguments: [
        CgroupLimits(cpuRequestMillicores: -1),
        CgroupLimits(cpuLimitMillicores: 0),
        CgroupLimits(cpuLimitMillicores: -100),
        CgroupLimits(cpuLimitMillicores: Int.max),
        CgroupLimits(cpuRequestMillicores: 2000, cpuLimitMillicores: 1000),
        CgroupLimits(memoryLimitBytes: 0),
        CgroupLimits(memoryLimitBytes: -1),
        CgroupLimits(memoryLimitBytes: 4 * 1024 * 1024 - 1),
        CgroupLimits(pidsLimit: 0),
        CgroupLimits(pidsLimit: 5_000_000),
    ])
    func impossibleLimitsAreRejected(limits: CgroupLimits) {
        #expect { try limits.validate() } throws: { ($0 as? CgroupError)?.code == .invalidLimits }
    }

    @Test func sensibleLimitsPass() throws {
        try CgroupLimits.unlimited.validate()
        try CgroupLimits(
            cpuRequestMillicores: 0, cpuLimitMillicores: 1, memoryLimitBytes: 4 * 1024 * 1024, pidsLimit: 1
        ).validate()
    }
}
