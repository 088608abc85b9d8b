package com.example.radio;

import io.listenlog.core.ListenStore;
import io.listenlog.servlet.RecordingStore;

/** Stands in for the host application's own store in the docs' Tomcat example. */
public final class RadioDatabase {

    private static final RecordingStore STORE = new RecordingStore();

    private RadioDatabase() {
    }

    public static ListenStore listenStore() {
        return STORE;
    }
}
