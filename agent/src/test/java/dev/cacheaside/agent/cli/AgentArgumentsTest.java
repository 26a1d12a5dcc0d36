package dev.cacheaside.agent.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class AgentArgumentsTest {

    @Test
    void configAndStatus_keepsColonsOfBothPaths() {
        // as commands of earlier versions sent it: the status file's length, the file, the config
        AgentArguments parsed = AgentArguments.parse("config+status:19:/tmp/a:b/status.txt/etc/app:v2/agent.conf");
        assertEquals(AgentArguments.Action.START, parsed.action());
        assertEquals("/etc/app:v2/agent.conf", parsed.configPath());
        assertEquals("/tmp/a:b/status.txt", parsed.statusFile());
    }

    @Test
    void configAndStatus_withoutConfig_usesTheDefaultLookup() {
        AgentArguments parsed = AgentArguments.parse("config+status:10:/tmp/s.txt");
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
    void whatTheCommandsSend_isWhatTheAgentReads() {
        assertEquals("/etc/agent.conf", AgentArguments.parse(AgentArguments.config("/etc/agent.conf")).configPath());
        assertNull(AgentArguments.parse(AgentArguments.config(null)).configPath());
        assertEquals(AgentArguments.Action.DISABLE, AgentArguments.parse(AgentArguments.disable()).action());
        AgentArguments discover = AgentArguments.parse(AgentArguments.discover("packages=com.acme;for=10m"));
        assertEquals(AgentArguments.Action.DISCOVER, discover.action());
        assertEquals("packages=com.acme;for=10m", discover.discoverOptions());
    }

    @Test
    void configAndStatus_malformed_isReadAsAConfigPath() {
        AgentArguments parsed = AgentArguments.parse("config+status:x:/tmp/s.txt");
        assertEquals("config+status:x:/tmp/s.txt", parsed.configPath());
        assertNull(parsed.statusFile());
    }
}
