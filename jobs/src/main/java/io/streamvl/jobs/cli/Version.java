package io.streamvl.jobs.cli;

import picocli.CommandLine.IVersionProvider;

/** Version from the jar manifest (Maven writes it), "dev" when run from classes. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"streamvl " + (v == null ? "dev" : v)};
    }
}
