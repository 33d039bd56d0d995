package dev.dojo.worker;

import dev.dojo.kata.KataTests;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProtocolTest {

    @Test
    @DisplayName("a request and an event come back as they were sent, with their request id")
    void roundTrip() {
        Request.Test request = new Request.Test("/k/prenorm-block", "dev.dojo.katas.X", 30_000, "coach", null);
        TestOutcome outcome = new TestOutcome("XTest#a", "agrees with PyTorch", KataTests.Status.FAILED_BY_ERROR,
                "threw IllegalStateException: heads (6) must divide model width (64)\n  second line",
                List.of("dev.dojo.katas.X.forward(X.java:33)"));

        Protocol.Message sent = Protocol.decode(Protocol.encode(7, request));
        Protocol.Message heard = Protocol.decode(Protocol.encode(8, new Event.Finished(outcome)));

        assertThat(sent).isEqualTo(new Protocol.Message(7, request));
        assertThat(heard).isEqualTo(new Protocol.Message(8, new Event.Finished(outcome)));
    }

    @Test
    @DisplayName("a drill's run request comes back as it was sent, its seed included")
    void drillRoundTrip() {
        Request.Drill request = new Request.Drill("/w/.dojo/drills/da9999", 1_000, "evidence", 48213L);

        assertThat(Protocol.decode(Protocol.encode(9, request))).isEqualTo(new Protocol.Message(9, request));
    }

    @Test
    @DisplayName("a message is one line: newlines in a failure's text travel escaped")
    void oneLine() {
        String line = Protocol.encode(1, new Event.Printed("a\nb\r\nc"));

        assertThat(line).doesNotContain("\n", "\r");
        assertThat(Protocol.decode(line).body()).isEqualTo(new Event.Printed("a\nb\r\nc"));
    }

    @Test
    @DisplayName("anything that is not a whole message of a known type is not read as one")
    void strayLines() {
        String whole = Protocol.encode(3, new Event.Done(0, true));

        assertThat(Protocol.decode("Terminating due to java.lang.OutOfMemoryError: Java heap space")).isNull();
        assertThat(Protocol.decode(whole.substring(0, whole.length() - 5))).as("a cut message").isNull();
        assertThat(Protocol.decode("{\"id\": 3, \"type\": \"Exit\", \"body\": {}}")).as("an unknown type").isNull();
        assertThat(Protocol.decode("[1, 2]")).isNull();
        assertThat(Protocol.decode(whole)).isNotNull();
    }
}
