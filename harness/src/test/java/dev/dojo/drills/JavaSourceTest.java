package dev.dojo.drills;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JavaSourceTest {
    private static final String SOURCE = """
            package p;

            import a.B;
            import c.D;

            /** A {@code step()} in a comment is not a declaration. */
            class Parts {
                private final int size;

                int step(int x) {                     // x: a brace in a comment {
                    String s = "}{ step(";
                    char c = '}';
                    return x + size;
                }

                int other() {
                    return step(1);
                }
            }
            """;

    @Test
    @DisplayName("finds a method's body past braces in strings, characters and comments, and not its calls")
    void findsTheBody() {
        JavaSource source = new JavaSource("Parts", SOURCE);

        JavaSource.Body step = source.body("step");

        assertThat(source.lines().get(step.declaration())).contains("int step(int x)");
        assertThat(source.lines().subList(step.open() + 1, step.close()))
                .containsExactly("        String s = \"}{ step(\";", "        char c = '}';", "        return x + size;");
        assertThat(step.size()).isEqualTo(3);
        assertThat(source.imports()).containsExactly("a.B", "c.D");
    }

    @Test
    @DisplayName("blanks comments and the insides of literals, keeping every line break")
    void blanksCommentsAndLiterals() {
        String blank = JavaSource.blank("a = \"x{\"; // y}\n/* z\n} */ b");

        assertThat(blank).isEqualTo("a = \"  \";      \n    \n     b");
    }

    @Test
    @DisplayName("says so when a method is missing, declared twice, or its body does not start on a line of its own")
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> new JavaSource("Parts", SOURCE).body("missing"))
                .hasMessageContaining("declares 0 methods called missing");
        assertThatThrownBy(() -> new JavaSource("Two", "class Two {\n    void f() {\n    }\n    void f(int x) {\n    }\n}\n")
                .body("f")).hasMessageContaining("declares 2 methods called f");
        assertThatThrownBy(() -> new JavaSource("One", "class One {\n    int f() { return 1; }\n}\n").body("f"))
                .hasMessageContaining("must start on the line after its '{'");
    }
}
