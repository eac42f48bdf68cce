package io.kook.ansible.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class InventoryParsersTests {

    @Test
    void eachFormatGoesToItsParser() {
        assertThat(parse("[g]\nh a=\"1\"\n", "ini").hosts().get("h").get("a").isInt()).isTrue();
        assertThat(parse("g:\n  hosts:\n    h: {a: yes}\n", "YAML").hosts().get("h").get("a").isBoolean()).isTrue();
        assertThat(parse("g:\n  hosts:\n    h:\n", "yml").groups()).containsOnlyKeys("g");
        assertThat(parse("{\"g\": {\"hosts\": [\"h\"]}}", "json").groups().get("g").hosts()).containsExactly("h");
    }

    @Test
    void unknownFormatIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> parse("x", "toml")).withMessageContaining("toml");
    }

    private static io.kook.ansible.ParsedInventory parse(String body, String format) {
        return InventoryParsers.parse(body.getBytes(StandardCharsets.UTF_8), format);
    }
}
