package io.understudy.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class GeneratorCheckTest {

    @Test
    void aWriteRateCloseToTheClientsOwnNoOpRateMeasuresTheClient() {
        assertEquals(GeneratorCheck.Verdict.CLIENT_BOUND, GeneratorCheck.verdict(600, 1_000));
        assertEquals(GeneratorCheck.Verdict.CLIENT_BOUND, GeneratorCheck.verdict(1_200, 1_000));
    }

    @Test
    void aWriteRateFarBelowTheClientsNoOpRateMeasuresTheSidecar() {
        assertEquals(GeneratorCheck.Verdict.SIDECAR_BOUND, GeneratorCheck.verdict(100, 1_000));
    }

    @Test
    void theBoundaryIsAQuarterOfTheNoOpRate() {
        assertEquals(GeneratorCheck.Verdict.SIDECAR_BOUND, GeneratorCheck.verdict(249, 1_000));
        assertEquals(GeneratorCheck.Verdict.CLIENT_BOUND, GeneratorCheck.verdict(250, 1_000));
    }

    @Test
    void noNoOpFigureMeansTheCheckCouldNotBeMade() {
        assertEquals(GeneratorCheck.Verdict.UNCHECKED, GeneratorCheck.verdict(100, 0));
    }
}
