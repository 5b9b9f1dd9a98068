package io.understudy.sidecar.cli;

public final class Main {
    public static void main(String[] args) {}
}
