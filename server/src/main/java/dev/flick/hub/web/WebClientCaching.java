package dev.flick.hub.web;

import java.time.Duration;

import org.springframework.boot.web.server.MimeMappings;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Cache rules for the web client the hub serves from the jar: hashed build output is immutable for a year; the
 * entry points (index.html, the service worker, the manifest) are revalidated on every load so a new hub version
 * reaches browsers at once; icons for a day.
 */
@Configuration(proxyBeanMethods = false)
class WebClientCaching implements WebMvcConfigurer {

    private static final String STATIC = "classpath:/static/";

    /** Browsers accept a manifest of any JSON type, but validators and proxies expect the registered one. */
    @Bean
    WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> manifestMimeType() {
        return factory -> {
            MimeMappings mappings = new MimeMappings();
            mappings.add("webmanifest", "application/manifest+json");
            factory.addMimeMappings(mappings);
        };
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/**")
                .addResourceLocations(STATIC + "assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
        registry.addResourceHandler("/index.html", "/sw.js", "/manifest.webmanifest")
                .addResourceLocations(STATIC)
                .setCacheControl(CacheControl.noCache());
        registry.addResourceHandler("/*.png", "/*.svg")
                .addResourceLocations(STATIC)
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(1)).cachePublic());
    }
}
