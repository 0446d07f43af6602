package org.fastcrypt4j.nn.graph;

import org.fastcrypt4j.mpc.sharing.Session;

/** A parameter-free vertex: its name and the session its protocols run in. */
abstract class SessionNode implements GraphNode {
    protected final String name;
    protected final Session session;

    protected SessionNode(String name, Session session) {
        this.name = name;
        this.session = session;
    }

    @Override
    public String name() {
        return name;
    }
}
