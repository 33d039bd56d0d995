package dev.dojo.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Control characters in what the user typed are never echoed raw: every message shows them escaped. */
class TerminalSafetyTest {
    @TempDir
    Path root;

    private Cli cli;

    @BeforeEach
    void copyKata() throws IOException {
        cli = new Cli(root);
    }

    @Test
    @DisplayName("printable escapes ESC, BEL, CR, LF, TAB, other C0, DEL, C1 and bidi overrides, and keeps the rest")
    void printable() {
        assertThat(Terminal.printable("\u001b[2J")).isEqualTo("\\e[2J");
        assertThat(Terminal.printable("a\u0007b\rc\nd\te")).isEqualTo("a\\x07b\\rc\\nd\\te");
        assertThat(Terminal.printable("\u0000\u001f\u007f")).isEqualTo("\\x00\\x1f\\x7f");
        assertThat(Terminal.printable("\u009b2J\u0085")).isEqualTo("\\x9b2J\\x85");
        assertThat(Terminal.printable("abc\u202edef\u2066\u2028")).isEqualTo("abc\\u202edef\\u2066\\u2028");
        assertThat(Terminal.printable("prenorm-block ★☆ é C:\\katas ⏱")).isEqualTo("prenorm-block ★☆ é C:\\katas ⏱");
    }

    @Test
    @DisplayName("a notice is printed once per command, escaped, however often it is given")
    void noticesOnce() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Notices notices = new Notices(new PrintStream(err, true, StandardCharsets.UTF_8));
        notices.accept("cannot save progress in /x/\u001b[31m.dojo");
        notices.accept("cannot save progress in /x/\u001b[31m.dojo");
        notices.accept("another");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("dojo: cannot save progress in /x/\\e[31m.dojo\ndojo: another\n");
    }

    static Stream<Arguments> hostileArguments() {
        return Stream.of(
                Arguments.of(new String[] {"test", "\u001b[2J"}, "unknown kata '\\e[2J'"),
                Arguments.of(new String[] {"start", "prenorm-block\nrm -rf ~"}, "unknown kata 'prenorm-block\\nrm -rf ~'"),
                Arguments.of(new String[] {"hint", "\r\u001b[1A"}, "unknown kata '\\r\\e[1A'"),
                Arguments.of(new String[] {"reset", "../\u0007"}, "unknown kata '../\\x07'"),
                Arguments.of(new String[] {"\u001b]0;pwned\u0007"}, "Unmatched argument at index 0: '\\e]0;pwned\\x07'"),
                Arguments.of(new String[] {"test", "prenorm-block", "\u009b2J"}, "Unmatched argument at index 2: '\\x9b2J'"),
                Arguments.of(new String[] {"lis\u001bt"}, "'lis\\et'"),
                Arguments.of(new String[] {"test", "prenorm-block", "--seed", "\u001b[5m7"}, "'\\e[5m7'"),
                Arguments.of(new String[] {"test", "prenorm-block", "--timeout", "3\u0007"}, "'3\\x07'"),
                Arguments.of(new String[] {"report", "prenorm-block", "--seed", "\u001bc"}, "'\\ec' is not a seed"),
                Arguments.of(new String[] {"--\u001b[2Jhelp"}, "'--\\e[2Jhelp'"),
                Arguments.of(new String[] {"help", "\u001b[2J"}, "'\\e[2J'"),
                Arguments.of(new String[] {"solution", "\u202eatad"}, "unknown kata '\\u202eatad'"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("hostileArguments")
    @DisplayName("an argument with control characters is echoed escaped, in a one-line error with exit 2")
    void hostileArgumentsEchoedEscaped(String[] args, String echoed) {
        assertThat(cli.run(args)).isEqualTo(2);
        assertThat(cli.err()).contains(echoed).doesNotContain("internal error", "Exception");
        assertThat(controlCharacters(cli.out() + cli.err())).as("raw control characters in:%n%s%s", cli.out(), cli.err())
                .isEmpty();
    }

    /** Every control character in {@code s} other than the newline that ends a line. */
    private static String controlCharacters(String s) {
        StringBuilder found = new StringBuilder();
        s.chars().filter(c -> c != '\n' && (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c >= 0x202a && c <= 0x202e
                || c >= 0x2066 && c <= 0x2069 || c == 0x2028 || c == 0x2029))
                .forEach(c -> found.append(String.format("U+%04X ", c)));
        return found.toString();
    }
}
