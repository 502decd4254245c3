#pragma once

#include <opencv2/core.hpp>

#include "vision/face_types.h"

namespace examguard::vision {

// Pure functions of the 68 landmarks, cheap enough to run on every frame of a sequence (the
// active liveness challenge runs them over a whole video).

// Eye aspect ratio (Soukupova & Cech 2016), mean of both eyes: (|p2-p6| + |p3-p5|) / (2|p1-p4|).
// About 0.25-0.35 with eyes open, below about 0.2 while they are closed.
double eyeAspectRatio(const FaceLandmarks& landmarks);

struct HeadPose {
    double yawDeg = 0.0;    // > 0: the face is turned towards the image's right side
    double pitchDeg = 0.0;  // > 0: the face is tilted up (chin raised)
    double rollDeg = 0.0;   // > 0: the face is rotated clockwise in the image
};

// Head pose from where the nose tip sits between the outer eye corners and between the eye and
// mouth lines, using the proportions of an average head. A closed-form estimate rather than
// cv::solvePnP: on the frontal NUAA frames solvePnP with a generic model and a guessed focal
// length reported 10-30 degrees of yaw for faces looking straight at the camera; this reports
// them within about 10 degrees, is antisymmetric for mirrored landmarks, and needs no camera.
// Yaw is good to roughly 5-10 degrees; pitch varies more from person to person.
HeadPose headPose(const FaceLandmarks& landmarks);

}  // namespace examguard::vision
