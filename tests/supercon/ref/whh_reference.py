#!/usr/bin/python3
"""Reference values for tests/supercon (mpmath 1.2.1). Run: /usr/bin/python3 tests/supercon/ref/whh_reference.py"""
# Reference h*(t) = (pi^2/4) hbar(t) for the WHH equation, mpmath 30 digits.
import mpmath as mp
mp.mp.dps = 30
def rhs_closed(h, t, a, l):
    g = mp.sqrt(mp.mpc((a*h)**2 - (l/2)**2))
    if abs(g) < mp.mpf(10)**-25:
        z0 = mp.mpf(0.5) + (h + l/2)/(2*t)
        return mp.digamma(z0) - l/(4*t)*mp.polygamma(1, z0) - mp.digamma(0.5)
    z = mp.mpf(0.5) + (h + l/2 + 1j*g)/(2*t)
    zc = mp.mpf(0.5) + (h + l/2 - 1j*g)/(2*t)
    v = (mp.mpf(0.5) + 1j*l/(4*g))*mp.digamma(z) + (mp.mpf(0.5) - 1j*l/(4*g))*mp.digamma(zc) - mp.digamma(0.5)
    return mp.re(v)
def rhs_sum(h, t, a, l):
    # original WHH Matsubara sum (symmetric in nu -> -nu-1)
    f = lambda nu: 1/abs(2*nu+1) - 1/(abs(2*nu+1) + h/t + (a*h/t)**2/(abs(2*nu+1) + (h+l)/t))
    return 2*mp.nsum(f, [0, mp.inf])
def hstar(t, a, l, rhs=rhs_closed):
    t = mp.mpf(t)
    f = lambda h: rhs(h, t, a, l) - mp.log(1/t)
    h0 = mp.findroot(f, (mp.mpf('1e-6'), mp.mpf('0.3')), solver='anderson')
    return mp.pi**2/4*h0
import sys
print("# t, (0,0), (1,0), (1,1), (2,5)")
for t in ['0.01','0.1','0.2','0.3','0.5','0.7','0.9','0.99']:
    print(t, [mp.nstr(hstar(t,a,l),15) for a,l in [(0,0),(1,0),(1,1),(2,5)]])
print("check vs Matsubara sum at t=0.5, (1,1):", mp.nstr(hstar('0.5',1,1,rhs_sum),15))
print("check vs Matsubara sum at t=0.3, (2,5):", mp.nstr(hstar('0.3',2,5,rhs_sum),15))
print("limit:", mp.nstr(mp.pi**2*mp.exp(-mp.euler)/8, 20))
# t=0 equation: Re[(1+i l/(2g)) ln(h+l/2+ig)] + gE + ln2 = 0
def hstar0(a,l):
    def f(h):
        g = mp.sqrt(mp.mpc((a*h)**2-(l/2)**2))
        return mp.re((mp.mpf(0.5)+1j*l/(4*g))*mp.log(h+l/2+1j*g) + (mp.mpf(0.5)-1j*l/(4*g))*mp.log(h+l/2-1j*g)) + mp.euler + mp.log(2)
    return mp.pi**2/4*mp.findroot(f,(mp.mpf('1e-3'),mp.mpf('0.3')),solver='anderson')
for a,l in [(1,0),(1,1),(2,5),(3,0),(2,0.5)]:
    print("t=0", a, l, mp.nstr(hstar0(a,l),15))
for a,l in [(3,0),(2,0.5)]:
    print("t=0.001", a, l, mp.nstr(hstar('0.001',a,l),15), "t=0.3", mp.nstr(hstar('0.3',a,l),15))

# --- digamma / polygamma references


for z in [mp.mpc(0.5,1), mp.mpc(3,-2), mp.mpc(-2.5,0.3), mp.mpc(0.25,50), mp.mpc(1e4,3e4), mp.mpc(-7.3,-0.01), mp.mpc(0.01,0.02)]:
    v = mp.digamma(z)
    print(f"z=({mp.nstr(z.real,17)},{mp.nstr(z.imag,17)}) psi=({mp.nstr(v.real,17)},{mp.nstr(v.imag,17)})")
for x in [1e-8, 0.1, 1.4616321449683623, 2.5, 30, 1e6, -0.5, -3.7, -100.2]:
    print("x", x, mp.nstr(mp.digamma(x),17))
for n in [1,2,3,4]:
    for x in [0.3, 1, 7.5, 40]:
        print("poly", n, x, mp.nstr(mp.polygamma(n,x),17))

# --- onset of the non-monotonic WHH curve at lambda = 0
def d(a):
    return hstar('0.005',a,0)-hstar0(a,0)
lo,hi=mp.mpf(1.0),mp.mpf(1.1)
for i in range(30):
    m=(lo+hi)/2
    if d(m)>0: hi=m
    else: lo=m
print("onset alpha (lambda=0), sign of h*(0.005)-h*(0):", mp.nstr(lo,8))
print("alpha=1.2 hstar0", mp.nstr(hstar0(1.2,0),15), "t=0.1", mp.nstr(hstar('0.1',1.2,0),15))

mp.mp.dps = 40  # residual references
def resid(h, t, a, l):
    h, t, a, l = map(mp.mpf, (h, t, a, l))
    g = mp.sqrt(mp.mpc((a*h)**2 - (l/2)**2))
    if g == 0:
        z0 = mp.mpf(0.5) + (h + l/2)/(2*t)
        v = mp.digamma(z0) - l/(4*t)*mp.polygamma(1, z0) - mp.digamma(0.5)
    else:
        z = mp.mpf(0.5) + (h + l/2 + 1j*g)/(2*t)
        zc = mp.mpf(0.5) + (h + l/2 - 1j*g)/(2*t)
        v = (mp.mpf(0.5) + 1j*l/(4*g))*mp.digamma(z) + (mp.mpf(0.5) - 1j*l/(4*g))*mp.digamma(zc) - mp.digamma(0.5)
    return mp.re(v) - mp.log(1/t)
for h in ['0.2', '0.2000001', '0.1999999', '0.2003', '0.1997', '0.25', '0.05']:
    print(h, mp.nstr(resid(h, '0.5', 1, '0.4'), 17))
for h in ['0.3', '0.3001']:
    print('t=1e-3', h, mp.nstr(resid(h, '0.001', 2, '0.6'), 17))
