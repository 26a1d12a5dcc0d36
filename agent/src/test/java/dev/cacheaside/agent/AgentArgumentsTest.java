package dev.cacheaside.agent;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class AgentArgumentsTest {

    @Test
    void configAndStatus_keepsColonsOfBothPaths() {
        AgentArguments parsed = AgentArguments.parse(
                AgentArguments.configAndStatus("/etc/app:v2/agent.conf", "/tmp/a:b/status.txt"));
        assertEquals(AgentArguments.Action.START, parsed.action());
        assertEquals("/etc/app:v2/agent.conf", parsed.configPath());
        assertEquals("/tmp/a:b/status.txt", parsed.statusFile());
    }

    @Test
    void configAndStatus_withoutConfig_usesTheDefaultLookup() {
        AgentArguments parsed = AgentArguments.parse(AgentArguments.configAndStatus(null, "/tmp/s.txt"));
        assertNull(parsed.configPath());
        assertEquals("/tmp/s.txt", parsed.statusFile());
    }

    @Test
    void config_asBefore() {
        AgentArguments parsed = AgentArguments.parse("config:/etc/agent.conf");
        assertEquals(AgentArguments.Action.START, parsed.action());
        assertEquals("/etc/agent.conf", parsed.configPath());
        assertNull(parsed.statusFile());
        assertEquals("/etc/agent.conf", AgentArguments.parse("/etc/agent.conf").configPath(), "from -javaagent");
    }

    @Test
    void configAndStatus_malformed_isReadAsAConfigPath() {
        AgentArguments parsed = AgentArguments.parse("config+status:x:/tmp/s.txt");
        assertEquals("config+status:x:/tmp/s.txt", parsed.configPath());
        assertNull(parsed.statusFile());
    }
}
