// The functions are static inline in include/TesseraSIMD.h; SwiftPM needs one source file.
#include "TesseraSIMD.h"
