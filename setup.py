"""Builds tflite_converter._native and the tflite_convert program with CMake
and puts both in the package. pyproject.toml holds the metadata.

TFLITE_CONVERTER_BUILD_DIR=DIR takes them from an existing CMake build
(e.g. build/ after scripts/setup.sh) instead of building in build/pip."""

import glob
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = os.environ.get("TFLITE_CONVERTER_BUILD_DIR")
        if build:
            build = os.path.abspath(build)
        else:
            build = os.path.join(HERE, "build", "pip")
            subprocess.check_call(["cmake", "-S", HERE, "-B", build, "-DCMAKE_BUILD_TYPE=Release",
                                   "-DPython_EXECUTABLE=" + sys.executable])
            subprocess.check_call(["cmake", "--build", build, "-j", str(os.cpu_count() or 2),
                                   "--target", "_native", "tflite_convert"])
        built = glob.glob(os.path.join(build, "python", "tflite_converter", "_native*.so"))
        program = os.path.join(build, "tflite_convert")
        if len(built) != 1 or not os.path.isfile(program):
            sys.exit("setup.py: %s holds no built _native module and tflite_convert; build it first "
                     "(cmake --build %s) or unset TFLITE_CONVERTER_BUILD_DIR" % (build, build))
        dest = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(built[0], dest)
        bin_dir = os.path.join(os.path.dirname(dest), "_bin")
        os.makedirs(bin_dir, exist_ok=True)
        shutil.copy2(os.path.realpath(program), os.path.join(bin_dir, "tflite_convert"))


os.makedirs(os.path.join(HERE, "build", "setuptools"), exist_ok=True)
setup(ext_modules=[Extension("tflite_converter._native", sources=[])],
      cmdclass={"build_ext": CMakeBuild},
      options={"build": {"build_base": os.path.join("build", "setuptools")},
               "egg_info": {"egg_base": os.path.join("build", "setuptools")}})
