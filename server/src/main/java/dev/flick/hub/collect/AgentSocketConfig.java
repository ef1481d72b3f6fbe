package dev.flick.hub.collect;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** Registers /api/v1/agent next to the browsers' /api/v1/ws (one @EnableWebSocket gathers every configurer). */
@Configuration(proxyBeanMethods = false)
class AgentSocketConfig implements WebSocketConfigurer {

    private final AgentSocketHandler agents;

    AgentSocketConfig(AgentSocketHandler agents) {
        this.agents = agents;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Agents are programs, not pages: the token in the first message is the whole authentication.
        registry.addHandler(agents, "/api/v1/agent").setAllowedOriginPatterns("*");
    }
}
