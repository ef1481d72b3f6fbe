package dev.flick.hub.stream;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class StreamConfig implements WebSocketConfigurer {

    private final LiveSocketHandler live;

    StreamConfig(LiveSocketHandler live) {
        this.live = live;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Auth is the first message's token, not a cookie, so another origin's page gains nothing by connecting.
        registry.addHandler(live, "/api/v1/ws").setAllowedOriginPatterns("*");
    }

    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        // The container allocates these buffers for every socket up front (agents included, thousands of them), so they
        // stay small: browsers send short control messages, and the agent handler assembles its larger batches itself.
        container.setMaxTextMessageBufferSize(64 * 1024);
        container.setMaxBinaryMessageBufferSize(8 * 1024);
        container.setMaxSessionIdleTimeout(120_000L);
        return container;
    }
}
