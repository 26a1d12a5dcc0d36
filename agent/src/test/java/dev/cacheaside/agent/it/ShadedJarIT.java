package dev.cacheaside.agent.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the shaded jar carries besides the agent: the bundled libraries, relocated, with their licences. */
class ShadedJarIT {

    @Test
    void bundledLibraries_keepTheirLicencesAndNotices() throws IOException {
        try (JarFile jar = new JarFile(ForkedApp.AGENT_JAR.toFile())) {
            assertTrue(text(jar, "META-INF/licenses/Apache-2.0.txt").contains("Version 2.0, January 2004"));
            assertTrue(text(jar, "META-INF/licenses/MIT.txt").contains("Jonathan Leibiusky"));
            assertTrue(text(jar, "META-INF/licenses/ASM").contains("INRIA"), "Byte Buddy's ASM licence");
            String thirdParty = text(jar, "META-INF/THIRD-PARTY.txt");
            for (String library : List.of("Byte Buddy", "Jackson", "Typesafe Config", "Commons Pool", "Jedis",
                    "SLF4J", "Gson")) {
                assertTrue(thirdParty.contains(library), library + " in THIRD-PARTY.txt");
            }
            String notice = text(jar, "META-INF/NOTICE");
            assertTrue(notice.contains("Jackson"), notice);
            assertTrue(text(jar, "META-INF/NOTICE.txt").contains("Apache Commons Pool"));
            assertTrue(notice.contains("Rafael Winterhalter"), "Byte Buddy's notice: " + notice);
            assertTrue(!notice.contains("2026 The Apache Software Foundation"), "the agent is not an Apache project: " + notice);
            assertNotNull(jar.getEntry("META-INF/FastDoubleParser-LICENSE"));
        }
    }

    @Test
    void everyClass_isTheAgentsOrRelocatedUnderItsPackage() throws IOException {
        List<String> stray = new ArrayList<>();
        try (JarFile jar = new JarFile(ForkedApp.AGENT_JAR.toFile())) {
            jar.stream().map(ZipEntry::getName)
                    .filter(name -> name.endsWith(".class") && !name.startsWith("dev/cacheaside/"))
                    .forEach(stray::add);
        }
        assertEquals(List.of(), stray, "classes outside dev/cacheaside would clash with the application's");
    }

    private static String text(JarFile jar, String name) throws IOException {
        ZipEntry entry = jar.getEntry(name);
        assertNotNull(entry, name + " in the agent jar");
        try (InputStream in = jar.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
