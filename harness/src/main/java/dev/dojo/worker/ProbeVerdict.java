package dev.dojo.worker;

import dev.dojo.probes.ProbeResult;

/** A probe's verdict as the worker sends it: the probe's name, the verdict, and its report in words. */
public record ProbeVerdict(String probe, ProbeResult.Verdict verdict, String report) {
    static ProbeVerdict of(ProbeResult result) {
        return new ProbeVerdict(result.probe(), result.verdict(), result.report());
    }

    public boolean fails() {
        return verdict == ProbeResult.Verdict.FAILS;
    }
}
