# Package marker: gives these test modules unique import names, since tests/unit has test
# files with the same basenames (pytest would otherwise refuse to collect both).
