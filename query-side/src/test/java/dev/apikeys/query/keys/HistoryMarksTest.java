package dev.apikeys.query.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A block's times are kept to the microsecond, widened outwards, so no block is judged wrongly before or after. */
class HistoryMarksTest {

    @Test
    void theEarliestTimeRoundsDownAndTheLatestUp() {
        Instant between = Instant.ofEpochSecond(1, 1_500);

        assertThat(HistoryMarks.floorMicros(between)).isEqualTo(1_000_001);
        assertThat(HistoryMarks.ceilMicros(between)).isEqualTo(1_000_002);
    }

    @Test
    void aWholeMicrosecondIsKeptAsItIs() {
        Instant exact = Instant.ofEpochSecond(1, 2_000);

        assertThat(HistoryMarks.floorMicros(exact)).isEqualTo(1_000_002);
        assertThat(HistoryMarks.ceilMicros(exact)).isEqualTo(1_000_002);
        assertThat(HistoryMarks.floorMicros(null)).isNull();
    }
}
