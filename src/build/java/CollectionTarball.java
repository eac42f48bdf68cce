import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.yaml.snakeyaml.Yaml;

/**
 * Builds an Ansible collection artifact ({@code <namespace>-<name>-<version>.tar.gz} as {@code ansible-galaxy
 * collection build} makes it) without Ansible, so that a plain {@code ./mvnw spring-boot:run} can serve the
 * collection. Run by the build at {@code process-classes} in Java's source-file mode, with the project's
 * class path for SnakeYAML; nothing of it reaches the service jar but its output.
 *
 * <pre>java -cp &lt;classpath&gt; CollectionTarball.java &lt;collection dir with galaxy.yml&gt; &lt;out.tar.gz&gt;</pre>
 *
 * <p>The artifact holds {@code MANIFEST.json} ({@code collection_info} from {@code galaxy.yml}, and the sha256 of
 * {@code FILES.json}), {@code FILES.json} (every directory and file with the sha256 of each file) and the files,
 * in the order and with the modes {@code ansible-galaxy} uses. Unlike {@code ansible-galaxy} it is
 * deterministic: entries sorted by path, a fixed mtime, owner 0/0 without names, and a gzip header without a
 * time stamp; the same sources always give the same bytes (and so the same ETag when served).
 */
public final class CollectionTarball {

    /** 2024-01-01T00:00:00Z: tools that distrust an mtime of 0 get a plausible one. */
    private static final long MTIME = 1_704_067_200L;
    private static final int BLOCK = 512;
    private static final int RECORD = 20 * BLOCK;

    /** What {@code ansible-galaxy collection build} always leaves out, plus {@code build_ignore}. */
    private static final List<String> ALWAYS_IGNORED = List.of("MANIFEST.json", "FILES.json", "galaxy.yml",
            "galaxy.yaml", ".git", "*.pyc", "*.retry", "tests/output");
    private static final List<String> IGNORED_DIRS = List.of("CVS", ".bzr", ".hg", ".git", ".svn", "__pycache__",
            ".tox");

    private CollectionTarball() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: CollectionTarball <collection dir> <out.tar.gz>");
            System.exit(2);
        }
        Path collection = Path.of(args[0]).toAbsolutePath().normalize();
        Path out = Path.of(args[1]).toAbsolutePath().normalize();
        byte[] tarball = build(collection);
        Files.createDirectories(out.getParent());
        if (Files.exists(out) && java.util.Arrays.equals(Files.readAllBytes(out), tarball)) {
            return; // unchanged: keep its mtime, so nothing downstream sees a change
        }
        Path partial = out.resolveSibling(out.getFileName() + ".part");
        Files.write(partial, tarball);
        Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("[collection] " + out + " (" + tarball.length + " bytes)");
    }

    static byte[] build(Path collection) throws IOException {
        Map<String, Object> galaxy = new Yaml().load(Files.readString(collection.resolve("galaxy.yml")));
        String namespace = required(galaxy, "namespace");
        String name = required(galaxy, "name");
        required(galaxy, "version");
        required(galaxy, "readme");
        List<String> ignore = new ArrayList<>(ALWAYS_IGNORED);
        ignore.add(namespace + "-" + name + "-*.tar.gz");
        Object extra = galaxy.get("build_ignore");
        if (extra instanceof List<?> patterns) {
            patterns.forEach(p -> ignore.add(String.valueOf(p)));
        }
        if (galaxy.get("manifest") != null) {
            throw new IllegalArgumentException("galaxy.yml: the 'manifest' directive is not supported; use build_ignore");
        }

        List<Map<String, Object>> files = new ArrayList<>();
        files.add(entry(".", "dir", null));
        List<String[]> members = new ArrayList<>(); // {relative path, "dir"|"file"}
        walk(collection, collection, ignore, files, members);

        Map<String, Object> filesJson = new LinkedHashMap<>();
        filesJson.put("files", files);
        filesJson.put("format", 1);
        byte[] filesBytes = Json.write(filesJson).getBytes(StandardCharsets.UTF_8);

        Map<String, Object> info = new LinkedHashMap<>();
        for (String key : List.of("namespace", "name", "version", "authors", "readme", "tags", "description",
                "license", "license_file", "dependencies", "repository", "documentation", "homepage", "issues")) {
            Object value = galaxy.get(key);
            if (value == null && List.of("authors", "tags", "license").contains(key)) {
                value = List.of();
            } else if (value == null && key.equals("dependencies")) {
                value = Map.of();
            } else if (value instanceof String s && s.isEmpty() && key.equals("license_file")) {
                value = null;
            }
            info.put(key, value);
        }
        Map<String, Object> fileManifest = new LinkedHashMap<>();
        fileManifest.put("name", "FILES.json");
        fileManifest.put("ftype", "file");
        fileManifest.put("chksum_type", "sha256");
        fileManifest.put("chksum_sha256", sha256(filesBytes));
        fileManifest.put("format", 1);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("collection_info", info);
        manifest.put("file_manifest_file", fileManifest);
        manifest.put("format", 1);
        byte[] manifestBytes = Json.write(manifest).getBytes(StandardCharsets.UTF_8);

        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(gz)) { // Java writes MTIME 0 in the gzip header
            Tar tar = new Tar(zip);
            tar.file("MANIFEST.json", manifestBytes, false);
            tar.file("FILES.json", filesBytes, false);
            for (String[] member : members) {
                Path source = collection.resolve(member[0]);
                if (member[1].equals("dir")) {
                    tar.dir(member[0]);
                } else {
                    tar.file(member[0], Files.readAllBytes(source), Files.isExecutable(source));
                }
            }
            tar.finish();
        }
        return gz.toByteArray();
    }

    private static void walk(Path top, Path dir, List<String> ignore, List<Map<String, Object>> files,
                             List<String[]> members) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            String relative = top.relativize(child).toString().replace('\\', '/');
            if (Files.isSymbolicLink(child)) {
                throw new IllegalArgumentException(relative + ": symbolic links are not supported in the collection");
            }
            if (matches(relative, ignore)) {
                continue;
            }
            if (Files.isDirectory(child)) {
                if (IGNORED_DIRS.contains(child.getFileName().toString())) {
                    continue;
                }
                files.add(entry(relative, "dir", null));
                members.add(new String[]{relative, "dir"});
                walk(top, child, ignore, files, members);
            } else {
                files.add(entry(relative, "file", sha256(Files.readAllBytes(child))));
                members.add(new String[]{relative, "file"});
            }
        }
    }

    /** fnmatch as ansible-galaxy applies it: the pattern against the whole relative path, '*' crossing '/'. */
    private static boolean matches(String relative, List<String> patterns) {
        for (String pattern : patterns) {
            StringBuilder regex = new StringBuilder();
            for (char c : pattern.toCharArray()) {
                switch (c) {
                    case '*' -> regex.append(".*");
                    case '?' -> regex.append('.');
                    default -> regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
                }
            }
            if (relative.matches(regex.toString())) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> entry(String name, String ftype, String sha256) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", name);
        entry.put("ftype", ftype);
        entry.put("chksum_type", sha256 == null ? null : "sha256");
        entry.put("chksum_sha256", sha256);
        entry.put("format", 1);
        return entry;
    }

    private static String required(Map<String, Object> galaxy, String key) {
        Object value = galaxy.get(key);
        if (value == null || String.valueOf(value).isBlank()) {
            throw new IllegalArgumentException("galaxy.yml: '" + key + "' is required");
        }
        return String.valueOf(value);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A ustar writer for regular files and directories: all this artifact needs. */
    private static final class Tar {
        private final OutputStream out;
        private long written;

        Tar(OutputStream out) {
            this.out = out;
        }

        void dir(String name) throws IOException {
            header(name + "/", 0755, 0, '5');
        }

        void file(String name, byte[] content, boolean executable) throws IOException {
            header(name, executable ? 0755 : 0644, content.length, '0');
            write(content);
            pad();
        }

        void finish() throws IOException {
            write(new byte[2 * BLOCK]);
            if (written % RECORD != 0) {
                write(new byte[(int) (RECORD - written % RECORD)]);
            }
        }

        private void header(String path, int mode, long size, char type) throws IOException {
            byte[] name = path.getBytes(StandardCharsets.UTF_8);
            String prefix = "";
            if (name.length > 100) { // ustar: split at a '/' into prefix (155) and name (100)
                int cut = path.lastIndexOf('/', path.length() - 2);
                while (cut > 0 && path.substring(cut + 1).getBytes(StandardCharsets.UTF_8).length > 100) {
                    cut = path.lastIndexOf('/', cut - 1);
                }
                if (cut <= 0 || path.substring(0, cut).getBytes(StandardCharsets.UTF_8).length > 155) {
                    throw new IllegalArgumentException(path + ": too long for a ustar header");
                }
                prefix = path.substring(0, cut);
                name = path.substring(cut + 1).getBytes(StandardCharsets.UTF_8);
            }
            byte[] h = new byte[BLOCK];
            put(h, 0, 100, name);
            octal(h, 100, 8, mode);
            octal(h, 108, 8, 0);
            octal(h, 116, 8, 0);
            octal(h, 124, 12, size);
            octal(h, 136, 12, MTIME);
            java.util.Arrays.fill(h, 148, 156, (byte) ' ');
            h[156] = (byte) type;
            put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
            put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
            put(h, 345, 155, prefix.getBytes(StandardCharsets.UTF_8));
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            byte[] checksum = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(checksum, 0, h, 148, 8);
            write(h);
        }

        private static void put(byte[] header, int offset, int length, byte[] value) {
            if (value.length > length) {
                throw new IllegalArgumentException("tar header field too long");
            }
            System.arraycopy(value, 0, header, offset, value.length);
        }

        private static void octal(byte[] header, int offset, int length, long value) {
            String digits = String.format("%0" + (length - 1) + "o", value);
            put(header, offset, length, (digits + "\0").getBytes(StandardCharsets.US_ASCII));
        }

        private void pad() throws IOException {
            if (written % BLOCK != 0) {
                write(new byte[(int) (BLOCK - written % BLOCK)]);
            }
        }

        private void write(byte[] bytes) throws IOException {
            out.write(bytes);
            written += bytes.length;
        }
    }

    /** JSON for the two manifests: maps (in insertion order), lists, strings, numbers, booleans, null. */
    private static final class Json {
        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out, 0);
            return out.toString();
        }

        private static void write(Object value, StringBuilder out, int depth) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof Map<?, ?> map) {
                if (map.isEmpty()) {
                    out.append("{}");
                    return;
                }
                out.append("{\n");
                int i = 0;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    indent(out, depth + 1);
                    string(String.valueOf(e.getKey()), out);
                    out.append(": ");
                    write(e.getValue(), out, depth + 1);
                    out.append(++i < map.size() ? ",\n" : "\n");
                }
                indent(out, depth);
                out.append('}');
            } else if (value instanceof List<?> list) {
                if (list.isEmpty()) {
                    out.append("[]");
                    return;
                }
                out.append("[\n");
                for (int i = 0; i < list.size(); i++) {
                    indent(out, depth + 1);
                    write(list.get(i), out, depth + 1);
                    out.append(i + 1 < list.size() ? ",\n" : "\n");
                }
                indent(out, depth);
                out.append(']');
            } else if (value instanceof Number || value instanceof Boolean) {
                out.append(value);
            } else {
                string(String.valueOf(value), out);
            }
        }

        private static void indent(StringBuilder out, int depth) {
            out.append(" ".repeat(depth));
        }

        private static void string(String s, StringBuilder out) {
            out.append('"');
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20 || c > 0x7e) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
