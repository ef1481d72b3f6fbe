package dev.flick.hub.edge;

import org.apache.coyote.http11.Http11NioProtocol;

/** Tomcat's NIO HTTP/1.1 connector on a {@link GuardedEndpoint}; Tomcat instantiates it by class name. */
public class GuardedHttp11Protocol extends Http11NioProtocol {

    public GuardedHttp11Protocol() {
        super(new GuardedEndpoint());
    }

    GuardedEndpoint guarded() {
        return (GuardedEndpoint) getEndpoint();
    }
}
