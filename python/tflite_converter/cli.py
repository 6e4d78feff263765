"""The tflite_convert console script: runs the C++ tflite_convert program
installed inside the package, with the same flags and exit status."""

import os
import sys


def main():
    exe = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_bin", "tflite_convert")
    if not os.access(exe, os.X_OK):
        sys.stderr.write("tflite_convert: error: the program is missing from the package (%s); "
                         "reinstall tflite_converter\n" % exe)
        return 1
    os.execv(exe, [exe] + sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
