package io.kook.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker/Dockerfile, read instruction by instruction: it builds the jar pom.xml names, and its runtime stage is
 * a non-root Temurin JRE with a readiness health check. No Docker engine is needed.
 */
class DockerfileTests {

    private static final Path DOCKERFILE = Path.of("docker", "Dockerfile");
    private static final Path IGNORE_FILE = Path.of("docker", "Dockerfile.dockerignore");
    private static final Path POM = Path.of("pom.xml");
    private static final Pattern JAR_PATH = Pattern.compile("target/(\\S+?\\.jar)\\b");

    /** One instruction, continuation lines joined and comments dropped. */
    record Instruction(String keyword, String args) {
    }

    private static List<Instruction> globalArgs;
    private static List<List<Instruction>> stages;

    @BeforeAll
    static void readDockerfile() throws IOException {
        globalArgs = new ArrayList<>();
        stages = new ArrayList<>();
        for (Instruction instruction : parse(Files.readAllLines(DOCKERFILE))) {
            if (instruction.keyword().equals("FROM")) {
                stages.add(new ArrayList<>());
            }
            (stages.isEmpty() ? globalArgs : stages.get(stages.size() - 1)).add(instruction);
        }
    }

    @Test
    void theJarItExtractsIsTheOnePomXmlBuilds() throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(POM.toFile()).getDocumentElement();
        String expected = childText(project, "artifactId") + "-" + childText(project, "version") + ".jar";

        List<String> jars = new ArrayList<>();
        for (List<Instruction> stage : stages) {
            for (Instruction instruction : stage) {
                Matcher m = JAR_PATH.matcher(instruction.args());
                while (m.find()) {
                    jars.add(m.group(1));
                }
            }
        }
        assertThat(jars).isNotEmpty().allSatisfy(jar -> assertThat(jar).isEqualTo(expected));
    }

    @Test
    void buildStagePackagesWithTheMavenWrapper() {
        assertThat(buildStage()).anySatisfy(i -> {
            assertThat(i.keyword()).isEqualTo("RUN");
            assertThat(i.args()).contains("./mvnw").contains(" package");
        });
    }

    @Test
    void dependenciesAreDownloadedInALayerOfTheirOwnBeforeSourcesAreCopied() {
        List<Instruction> build = buildStage();
        int pom = indexOf(build, "COPY", "pom.xml");
        int dependencies = indexOf(build, "RUN", "dependency:go-offline");
        int sources = indexOf(build, "COPY", "src/");
        assertThat(pom).isNotNegative();
        assertThat(dependencies).isGreaterThan(pom);
        assertThat(sources).isGreaterThan(dependencies);
    }

    @Test
    void buildStageExtractsTheBootJarIntoLayersWithItsLauncher() {
        assertThat(buildStage()).anySatisfy(i -> assertThat(i.args())
                .contains("-Djarmode=tools").contains("extract").contains("--layers").contains("--launcher"));
    }

    @Test
    void runtimeStageIsATemurinJreOfJava17OrNewer() {
        String image = resolveArgs(runtimeStage().get(0).args().split("\\s+")[0]);
        Matcher m = Pattern.compile("eclipse-temurin:(\\d+)[.\\w-]*-jre[\\w.-]*").matcher(image);
        assertThat(m.matches()).as(image).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isGreaterThanOrEqualTo(17);
    }

    @Test
    void runtimeStageCopiesEveryLayerAndStartsTheBootLauncher() {
        List<String> copies = runtimeStage().stream().filter(i -> i.keyword().equals("COPY")).map(Instruction::args).toList();
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            assertThat(copies).anySatisfy(copy -> assertThat(copy).startsWith("--from=build").contains("/" + layer + "/"));
        }
        assertThat(last(runtimeStage(), "ENTRYPOINT").args()).contains("org.springframework.boot.loader.launch.JarLauncher");
    }

    @Test
    void runtimeStageRunsAsANonRootUser() {
        Instruction user = last(runtimeStage(), "USER");
        assertThat(user).as("USER in the runtime stage").isNotNull();
        String name = user.args().split(":")[0].trim();
        assertThat(name).isNotIn("root", "0");
        assertThat(lastIndexOf(runtimeStage(), "USER")).as("USER comes after the last RUN")
                .isGreaterThan(lastIndexOf(runtimeStage(), "RUN"));
    }

    @Test
    void runtimeStageExposesPort8080() {
        assertThat(runtimeStage()).anySatisfy(i -> {
            assertThat(i.keyword()).isEqualTo("EXPOSE");
            assertThat(i.args().split("\\s+")).contains("8080");
        });
    }

    @Test
    void runtimeStageHealthCheckAsksForReadinessWithAToolItInstalls() {
        Instruction healthcheck = last(runtimeStage(), "HEALTHCHECK");
        assertThat(healthcheck).as("HEALTHCHECK in the runtime stage").isNotNull();
        assertThat(healthcheck.args()).contains(" CMD ").contains("/actuator/health/readiness").contains("curl");
        assertThat(runtimeStage()).anySatisfy(i -> assertThat(i.args()).contains("apt-get install").contains("curl"));
    }

    @Test
    void heapIsSizedThroughAnOverridableJavaToolOptionsNotAFixedXmx() {
        assertThat(runtimeStage()).anySatisfy(i -> {
            assertThat(i.keyword()).isEqualTo("ENV");
            assertThat(i.args()).startsWith("JAVA_TOOL_OPTIONS=").contains("-XX:MaxRAMPercentage=");
        });
        assertThat(stages.stream().flatMap(List::stream)).noneSatisfy(i -> assertThat(i.args()).contains("-Xmx"));
    }

    @Test
    void ignoreFileLetsThroughExactlyWhatTheBuildCopiesFromTheContext() throws IOException {
        List<String> patterns = Files.readAllLines(IGNORE_FILE).stream().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertThat(patterns.get(0)).as("everything is ignored unless let through").isEqualTo("*");
        List<String> allowed = patterns.stream().filter(p -> p.startsWith("!")).map(p -> stripSlash(p.substring(1))).toList();

        List<String> sources = new ArrayList<>();
        for (Instruction copy : buildStage()) {
            if (copy.keyword().equals("COPY") && !copy.args().contains("--from=")) {
                List<String> words = new ArrayList<>(List.of(copy.args().split("\\s+")));
                words.removeIf(w -> w.startsWith("--"));
                sources.addAll(words.subList(0, words.size() - 1));
            }
        }
        assertThat(sources).isNotEmpty().allSatisfy(source -> assertThat(allowed)
                .as("%s is let through", source)
                .anySatisfy(p -> assertThat(stripSlash(source).equals(p) || stripSlash(source).startsWith(p + "/")).isTrue()));
        assertThat(allowed).noneSatisfy(p -> assertThat(p).startsWith("target"));
    }

    private static List<Instruction> parse(List<String> lines) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String text = current.toString().strip();
            current.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            String[] parts = text.split("\\s+", 2);
            instructions.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1].replaceAll("\\s+", " ") : ""));
        }
        return instructions;
    }

    private static List<Instruction> buildStage() {
        assertThat(stages).as("a build stage and a runtime stage").hasSizeGreaterThanOrEqualTo(2);
        return stages.get(0);
    }

    private static List<Instruction> runtimeStage() {
        assertThat(stages).as("a build stage and a runtime stage").hasSizeGreaterThanOrEqualTo(2);
        return stages.get(stages.size() - 1);
    }

    private static int indexOf(List<Instruction> stage, String keyword, String fragment) {
        for (int i = 0; i < stage.size(); i++) {
            if (stage.get(i).keyword().equals(keyword) && stage.get(i).args().contains(fragment)) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(List<Instruction> stage, String keyword) {
        for (int i = stage.size() - 1; i >= 0; i--) {
            if (stage.get(i).keyword().equals(keyword)) {
                return i;
            }
        }
        return -1;
    }

    private static Instruction last(List<Instruction> stage, String keyword) {
        int i = lastIndexOf(stage, keyword);
        return i < 0 ? null : stage.get(i);
    }

    /** Substitutes ${NAME} with the default of a global ARG NAME=default. */
    private static String resolveArgs(String text) {
        Map<String, String> defaults = new HashMap<>();
        for (Instruction arg : globalArgs) {
            String[] kv = arg.args().split("=", 2);
            if (kv.length == 2) {
                defaults.put(kv[0].trim(), kv[1].trim());
            }
        }
        Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(defaults.getOrDefault(m.group(1), m.group())));
        }
        return m.appendTail(out).toString();
    }

    private static String stripSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String childText(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        throw new AssertionError("pom.xml has no <" + name + "> under <project>");
    }
}
